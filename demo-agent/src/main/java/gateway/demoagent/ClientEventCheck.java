package gateway.demoagent;

import static gateway.demoagent.FieldCheck.integer;
import static gateway.demoagent.FieldCheck.object;
import static gateway.demoagent.FieldCheck.onlyKnown;
import static gateway.demoagent.FieldCheck.required;
import static gateway.demoagent.FieldCheck.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the top level of each client event as the service does (docs/realtime-protocol.md §3): its type is one
 * the WebSocket takes, it has the fields that event defines and no others, of the right JSON types. What is inside
 * a {@code session} or an {@code item} is checked by {@link SessionCheck} and {@link ClientItems}.
 */
final class ClientEventCheck {

    /** Every client event may carry an {@code event_id} of at most this many characters (§3). */
    static final int MAX_EVENT_ID_LENGTH = 512;
    /** The largest audio position or length a client may name: a day of audio, far beyond a session (§5.5). */
    private static final long MAX_MS = 86_400_000;
    /** Fields every client event may carry. */
    static final List<String> COMMON_FIELDS = List.of("type", "event_id");
    /** Each client event the agent takes, in the order a refusal lists them, with its fields (the common ones too). */
    static final Map<String, List<String>> FIELDS = ordered(
            Map.entry("session.update", List.of("session")),
            Map.entry("input_audio_buffer.append", List.of("audio")),
            Map.entry("input_audio_buffer.commit", List.of()),
            Map.entry("input_audio_buffer.clear", List.of()),
            Map.entry("conversation.item.create", List.of("previous_item_id", "item")),
            Map.entry("conversation.item.truncate", List.of("item_id", "content_index", "audio_end_ms")),
            Map.entry("response.create", List.of("response")),
            Map.entry("response.cancel", List.of("response_id")));
    /** Per-response overrides {@code response.create} may carry (§3); the agent reads none of them. */
    static final List<String> RESPONSE_FIELDS = List.of("output_modalities", "instructions", "audio", "tools",
            "tool_choice", "max_output_tokens", "metadata", "conversation", "input", "prompt");

    private ClientEventCheck() {
    }

    /** The event's {@code event_id} when it is a usable one, for the {@code error} about it; else null. */
    static String eventIdOf(JsonNode event) {
        JsonNode id = event.get("event_id");
        return id != null && id.isTextual() && id.asText().length() <= MAX_EVENT_ID_LENGTH ? id.asText() : null;
    }

    /** Throws the first thing the service would refuse at the event's top level; {@code type} is its type. */
    static void check(String type, JsonNode event) throws InvalidEvent {
        List<String> known = FIELDS.get(type);
        if (known == null) {
            throw new InvalidEvent("invalid_value", "type", "Invalid value: '" + type + "'. Supported values are: "
                    + FieldCheck.listed(FIELDS.keySet()) + ".");
        }
        onlyKnown(event, "", known);
        if (event.has("event_id")) {
            string(event.get("event_id"), "event_id", MAX_EVENT_ID_LENGTH);
        }
        switch (type) {
            case "session.update" -> object(required(event, "", "session"), "session");
            case "input_audio_buffer.append" -> string(required(event, "", "audio"), "audio");
            case "conversation.item.create" -> {
                required(event, "", "item");
                JsonNode previous = event.get("previous_item_id");
                if (previous != null && !previous.isNull()) {
                    string(previous, "previous_item_id");
                }
            }
            case "conversation.item.truncate" -> {
                string(required(event, "", "item_id"), "item_id");
                integer(required(event, "", "content_index"), "content_index", 0, 0);
                integer(required(event, "", "audio_end_ms"), "audio_end_ms", 0, MAX_MS);
            }
            case "response.create" -> {
                JsonNode response = event.get("response");
                if (response != null && !response.isNull()) {
                    onlyKnown(object(response, "response"), "response", RESPONSE_FIELDS);
                }
            }
            case "response.cancel" -> {
                JsonNode id = event.get("response_id");
                if (id != null && !id.isNull()) {
                    string(id, "response_id");
                }
            }
            default -> {
            }
        }
    }

    @SafeVarargs
    private static Map<String, List<String>> ordered(Map.Entry<String, List<String>>... entries) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : entries) {
            List<String> all = new ArrayList<>(COMMON_FIELDS);
            all.addAll(e.getValue());
            out.put(e.getKey(), List.copyOf(all));
        }
        return Collections.unmodifiableMap(out);
    }
}
