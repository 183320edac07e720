package gateway.demoagent;

import static gateway.demoagent.FieldCheck.oneOf;
import static gateway.demoagent.FieldCheck.onlyKnown;
import static gateway.demoagent.FieldCheck.required;
import static gateway.demoagent.FieldCheck.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Reads the item of a client {@code conversation.item.create} (docs/realtime-protocol.md §3): a text message of a
 * user or the system ({@code input_text} parts) or of the assistant ({@code output_text} parts, as in the GA
 * {@code RealtimeConversationItemAssistantMessage}), or the output of a function call the model made (§5.4). Audio,
 * images and function calls made by the client are not part of the demo.
 */
final class ClientItems {

    /** The text part type each role takes. */
    private static final Map<String, String> PART_TYPE = Map.of("user", "input_text", "system", "input_text",
            "assistant", "output_text");
    private static final List<String> ITEM_TYPES = List.of("message", "function_call", "function_call_output");
    private static final List<String> MESSAGE_FIELDS = List.of("id", "object", "type", "status", "role", "content");
    private static final List<String> OUTPUT_FIELDS = List.of("id", "object", "type", "status", "call_id", "output");
    /** Client-chosen item ids are at most 32 characters on the service. */
    static final int MAX_ID_LENGTH = 32;

    private ClientItems() {
    }

    /**
     * The item as the agent keeps and announces it: the client's id or a new {@code item_…} one, status completed,
     * and the fields of its type. {@code conversation} tells which ids are taken and which calls were made.
     */
    static ObjectNode read(JsonNode item, Conversation conversation) throws InvalidEvent {
        if (!item.isObject()) {
            throw invalid("item", "Invalid type for 'item': expected an object.");
        }
        String type = oneOf(required(item, "item", "type"), "item.type", ITEM_TYPES);
        return switch (type) {
            case "message" -> message(item, conversation);
            case "function_call_output" -> functionCallOutput(item, conversation);
            default -> throw invalid("item.type", "Invalid value: '" + type + "'. The demo agent creates only"
                    + " 'message' and 'function_call_output' items.");
        };
    }

    private static ObjectNode message(JsonNode item, Conversation conversation) throws InvalidEvent {
        onlyKnown(item, "item", MESSAGE_FIELDS);
        String role = textOrNull(item.get("role"));
        String partType = PART_TYPE.get(role == null ? "" : role);
        if (partType == null) {
            throw invalid("item.role", "Invalid value: '" + role + "'. Supported values are: 'user', 'assistant',"
                    + " and 'system'.");
        }
        ObjectNode out = completed(item, "message", conversation);
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

    /** §5.4: a tool's result; its {@code call_id} must be that of a function call in the conversation. */
    private static ObjectNode functionCallOutput(JsonNode item, Conversation conversation) throws InvalidEvent {
        onlyKnown(item, "item", OUTPUT_FIELDS);
        String callId = string(required(item, "item", "call_id"), "item.call_id");
        String output = string(required(item, "item", "output"), "item.output");
        if (!conversation.hasFunctionCall(callId)) {
            throw new InvalidEvent("invalid_tool_call_id", null, "Tool call ID '" + callId
                    + "' not found in conversation.");
        }
        ObjectNode out = completed(item, "function_call_output", conversation);
        out.put("call_id", callId);
        out.put("output", output);
        return out;
    }

    /** The item as the agent keeps it: its id (the client's or a new one), its type, status completed. */
    private static ObjectNode completed(JsonNode item, String type, Conversation conversation) throws InvalidEvent {
        ObjectNode out = DemoEvents.MAPPER.createObjectNode();
        out.put("id", id(item.get("id"), conversation));
        out.put("type", type);
        out.put("status", "completed");
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
