package gateway.demoagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Reads the item of a client {@code conversation.item.create} (docs/realtime-protocol.md §3): a text message of a
 * user or the system ({@code input_text} parts) or of the assistant ({@code output_text} parts, as in the GA
 * {@code RealtimeConversationItemAssistantMessage}). Audio, images and function items are not part of the demo.
 */
final class TextItems {

    /** The text part type each role takes. */
    private static final Map<String, String> PART_TYPE = Map.of("user", "input_text", "system", "input_text",
            "assistant", "output_text");
    /** Client-chosen item ids are at most 32 characters on the service. */
    static final int MAX_ID_LENGTH = 32;

    private TextItems() {
    }

    /**
     * The item as the agent keeps and announces it: the client's id or a new {@code item_…} one, status completed,
     * role and text parts. {@code conversation} tells which ids are taken.
     */
    static ObjectNode read(JsonNode item, Conversation conversation) throws InvalidEvent {
        if (item == null || item.isNull()) {
            throw new InvalidEvent("missing_required_parameter", "item", "Missing required parameter: 'item'.");
        }
        if (!item.isObject()) {
            throw invalid("item", "Invalid type for 'item': expected an object.");
        }
        String type = textOrNull(item.get("type"));
        if (!"message".equals(type)) {
            throw invalid("item.type", "Invalid value: '" + type + "'. The demo agent supports only 'message'.");
        }
        String role = textOrNull(item.get("role"));
        String partType = PART_TYPE.get(role == null ? "" : role);
        if (partType == null) {
            throw invalid("item.role", "Invalid value: '" + role + "'. Supported values are: 'user', 'assistant',"
                    + " and 'system'.");
        }
        ObjectNode out = DemoEvents.MAPPER.createObjectNode();
        out.put("id", id(item.get("id"), conversation));
        out.put("type", "message");
        out.put("status", "completed");
        out.put("role", role);
        ArrayNode content = out.putArray("content");
        JsonNode parts = item.get("content");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw invalid("item.content", "Invalid 'item.content': expected a non-empty array of content parts.");
        }
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String param = "item.content[" + i + "]";
            String actual = textOrNull(part.get("type"));
            if (!partType.equals(actual)) {
                throw invalid(param + ".type", "Invalid value: '" + actual + "'. Supported values are: '" + partType
                        + "'.");
            }
            JsonNode text = part.get("text");
            if (text == null || !text.isTextual()) {
                throw invalid(param + ".text", "Invalid type for '" + param + ".text': expected a string.");
            }
            ObjectNode copy = content.addObject();
            copy.put("type", partType);
            copy.put("text", text.asText());
        }
        return out;
    }

    private static String id(JsonNode requested, Conversation conversation) throws InvalidEvent {
        if (requested == null || requested.isNull()) {
            return DemoEvents.id("item");
        }
        String id = requested.isTextual() ? requested.asText() : "";
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw invalid("item.id", "Invalid 'item.id': expected a string of 1 to " + MAX_ID_LENGTH
                    + " characters.");
        }
        if (conversation.contains(id)) {
            throw invalid("item.id", "Invalid value: item '" + id + "' already exists in the conversation.");
        }
        return id;
    }

    private static InvalidEvent invalid(String param, String message) {
        return new InvalidEvent("invalid_value", param, message);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
