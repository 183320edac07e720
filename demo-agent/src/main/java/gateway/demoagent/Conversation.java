package gateway.demoagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The items of one session's conversation in order, each as the GA item object the agent announced (§3, §4, §5.4);
 * every change is shown to a listener (the connection's inspection view).
 *
 * <p>Threading: used only on the session's event loop.
 */
final class Conversation {

    /** Items kept: the latest 1000 (a demo call has far fewer); the oldest are forgotten first. */
    static final int ITEMS_KEPT = 1000;
    /** {@code previous_item_id} that puts an item first (§3). */
    static final String ROOT = "root";

    private final List<ObjectNode> items = new ArrayList<>();
    private final Consumer<List<DemoConnection.Item>> listener;

    Conversation(Consumer<List<DemoConnection.Item>> listener) {
        this.listener = listener;
    }

    /** The id of the last item, or null when empty. */
    String lastId() {
        return items.isEmpty() ? null : id(items.get(items.size() - 1));
    }

    boolean contains(String id) {
        return indexOf(id) >= 0;
    }

    /** True when a {@code function_call} item with this {@code call_id} is kept (§5.4). */
    boolean hasFunctionCall(String callId) {
        for (ObjectNode item : items) {
            if ("function_call".equals(item.path("type").asText()) && callId.equals(item.path("call_id").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code item} at the end; returns the id of the item before it, or null. */
    String append(ObjectNode item) {
        return insert(item, null);
    }

    /**
     * Inserts {@code item} after {@code previousId}: at the end when it is null, first when it is {@link #ROOT}.
     * Returns the id of the item now before it, or null.
     */
    String insert(ObjectNode item, String previousId) {
        if (items.size() == ITEMS_KEPT) {
            items.remove(0);
        }
        int at = previousId == null ? items.size() : ROOT.equals(previousId) ? 0 : indexOf(previousId) + 1;
        items.add(at, item);
        listener.accept(snapshot());
        return at == 0 ? null : id(items.get(at - 1));
    }

    /** Puts {@code item} in the place of the item with its id, if that is still kept. */
    void replace(ObjectNode item) {
        int at = indexOf(id(item));
        if (at >= 0) {
            items.set(at, item);
            listener.accept(snapshot());
        }
    }

    /** Sets the transcript of the first content part of item {@code id}, if that is still kept. */
    void transcribed(String id, String transcript) {
        int at = indexOf(id);
        if (at >= 0 && items.get(at).path("content").path(0) instanceof ObjectNode part) {
            part.put("transcript", transcript);
            listener.accept(snapshot());
        }
    }

    /** The items as the inspection view shows them. */
    List<DemoConnection.Item> snapshot() {
        List<DemoConnection.Item> out = new ArrayList<>(items.size());
        for (ObjectNode item : items) {
            String type = item.path("type").asText();
            if (!type.equals("message")) {
                JsonNode text = item.get(type.equals("function_call") ? "arguments" : "output");
                out.add(new DemoConnection.Item(id(item), null, type, text == null ? null : text.asText()));
                continue;
            }
            JsonNode part = item.path("content").path(0);
            JsonNode text = part.has("text") ? part.get("text") : part.path("transcript");
            out.add(new DemoConnection.Item(id(item), item.path("role").asText(null),
                    part.path("type").asText(null), text.isTextual() ? text.asText() : null));
        }
        return out;
    }

    private int indexOf(String id) {
        for (int i = 0; i < items.size(); i++) {
            if (id(items.get(i)).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String id(ObjectNode item) {
        return item.path("id").asText();
    }
}
