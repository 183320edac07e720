package gateway.demoagent;

import static gateway.demoagent.WireClient.assertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The top level of every client event is checked as the service does (protocol doc §3, §7). */
class ClientEventShapesTest {

    /** An event sent, then the error's code, param, message and echoed event_id. */
    private record Mistake(String event, String code, String param, String message, String eventId) {
    }

    private static final List<Mistake> MISTAKES = List.of(
            new Mistake("{\"event_id\":\"e1\"}", "missing_required_parameter", "type",
                    "Missing required parameter: 'type'.", "e1"),
            new Mistake("{\"type\":7}", "invalid_type", "type",
                    "Invalid type for 'type': expected a string, but got a number instead.", null),
            new Mistake("{\"type\":\"output_audio_buffer.clear\"}", "invalid_value", "type",
                    "Invalid value: 'output_audio_buffer.clear'. Supported values are: 'session.update',"
                            + " 'input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear',"
                            + " 'conversation.item.create', 'conversation.item.truncate', 'response.create', and"
                            + " 'response.cancel'.", null),
            new Mistake("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e2\"}", "missing_required_parameter",
                    "audio", "Missing required parameter: 'audio'.", "e2"),
            new Mistake("{\"type\":\"input_audio_buffer.append\",\"audio\":[1,2]}", "invalid_type", "audio",
                    "Invalid type for 'audio': expected a string, but got an array instead.", null),
            new Mistake("{\"type\":\"input_audio_buffer.append\",\"audio\":\"%%%\"}", "invalid_value", "audio",
                    "Invalid 'audio'. Expected base64-encoded audio.", null),
            new Mistake("{\"type\":\"input_audio_buffer.commit\",\"audio\":\"AAAA\"}", "unknown_parameter", "audio",
                    "Unknown parameter: 'audio'.", null),
            new Mistake("{\"type\":\"input_audio_buffer.clear\",\"event_id\":\"" + "x".repeat(513) + "\"}",
                    "string_above_max_length", "event_id", "Invalid 'event_id': string too long. Expected a string"
                            + " with maximum length 512, but got a string with length 513 instead.", null),
            new Mistake("{\"type\":\"input_audio_buffer.clear\",\"event_id\":5}", "invalid_type", "event_id",
                    "Invalid type for 'event_id': expected a string, but got a number instead.", null),
            new Mistake("{\"type\":\"session.update\",\"event_id\":\"e3\"}", "missing_required_parameter", "session",
                    "Missing required parameter: 'session'.", "e3"),
            new Mistake("{\"type\":\"session.update\",\"session\":\"realtime\"}", "invalid_type", "session",
                    "Invalid type for 'session': expected an object, but got a string instead.", null),
            new Mistake("{\"type\":\"conversation.item.create\",\"item\":{},\"previous_item_id\":3}", "invalid_type",
                    "previous_item_id", "Invalid type for 'previous_item_id': expected a string, but got a number"
                            + " instead.", null),
            new Mistake("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_A\",\"audio_end_ms\":10}",
                    "missing_required_parameter", "content_index", "Missing required parameter: 'content_index'.",
                    null),
            new Mistake("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_A\",\"content_index\":0,"
                    + "\"audio_end_ms\":-5}", "integer_below_min_value", "audio_end_ms", "Invalid 'audio_end_ms':"
                    + " integer below minimum value. Expected a value >= 0, but got -5 instead.", null),
            new Mistake("{\"type\":\"response.create\",\"response\":{\"voice\":\"marin\"}}", "unknown_parameter",
                    "response.voice", "Unknown parameter: 'response.voice'.", null),
            new Mistake("{\"type\":\"response.cancel\",\"response_id\":5}", "invalid_type", "response_id",
                    "Invalid type for 'response_id': expected a string, but got a number instead.", null));

    @Test
    void eachMistakeGetsOneErrorNamingTheFieldAndTheSessionGoesOn() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            for (Mistake m : MISTAKES) {
                client.send(m.event);
                assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"" + m.code
                        + "\",\"message\":" + WireClient.JSON.writeValueAsString(m.message) + ",\"param\":\"" + m.param
                        + "\",\"event_id\":" + (m.eventId == null ? "null" : "\"" + m.eventId + "\"") + "}}",
                        client.next("error"));
            }
            assertEquals(MISTAKES.stream().map(Mistake::code).toList(), agent.connection(1).refusals());
            client.send("{\"type\":\"input_audio_buffer.clear\",\"event_id\":\"" + "x".repeat(512) + "\"}");
            client.next("input_audio_buffer.cleared");
        }
    }
}
