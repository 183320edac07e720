package gateway.demoagent;

import static gateway.demoagent.WireClient.assertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each class of mistake in a {@code session.update} is refused as the service refuses it (protocol doc §2, §7): one
 * {@code error} with the code, the field's path and the message, and none of the update is applied.
 */
class SessionUpdateCheckTest {

    /** What the gateway sends (ClientEventEncoder), with a tool that takes arguments. */
    static final String GATEWAY_SESSION = "{\"type\":\"realtime\",\"instructions\":\"Be brief.\","
            + "\"output_modalities\":[\"audio\"],"
            + "\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
            + "\"transcription\":{\"model\":\"gpt-4o-mini-transcribe\",\"language\":\"en\",\"prompt\":\"Acme\"},"
            + "\"noise_reduction\":{\"type\":\"near_field\"},\"turn_detection\":{\"type\":\"server_vad\","
            + "\"threshold\":0.6,\"prefix_padding_ms\":250,\"silence_duration_ms\":700}},"
            + "\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"voice\":\"marin\"}},"
            + "\"max_output_tokens\":800,"
            + "\"tools\":[{\"type\":\"function\",\"name\":\"pause_recording\",\"description\":\"Pause.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{}}},{\"type\":\"function\",\"name\":\"lookup\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},"
            + "\"required\":[\"id\"]}},{\"type\":\"mcp\",\"server_label\":\"crm\","
            + "\"server_url\":\"https://mcp.example.com/sse\",\"server_description\":\"The CRM.\","
            + "\"allowed_tools\":[\"find_customer\"],\"require_approval\":\"never\","
            + "\"headers\":{\"X-Team\":\"support\"},\"authorization\":\"oauth-token\"}],"
            + "\"tool_choice\":\"auto\"}";

    /** A mistake: the session object sent, then the error's code, param and message. */
    private record Mistake(String session, String code, String param, String message) {
    }

    private static final String VOICES = "'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse',"
            + " 'marin', and 'cedar'";

    private static final List<Mistake> MISTAKES = List.of(
            new Mistake("{\"instructions\":\"x\"}", "missing_required_parameter", "session.type",
                    "Missing required parameter: 'session.type'."),
            new Mistake("{\"type\":\"realtime\",\"modalities\":[\"audio\"]}", "unknown_parameter", "session.modalities",
                    "Unknown parameter: 'session.modalities'."),
            new Mistake("{\"type\":\"realtime\",\"input_audio_format\":\"pcm16\"}", "unknown_parameter",
                    "session.input_audio_format", "Unknown parameter: 'session.input_audio_format'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\","
                    + "\"rate\":16000}}}}",
                    "integer_below_min_value", "session.audio.input.format.rate", "Invalid"
                    + " 'session.audio.input.format.rate': integer below minimum value. Expected a value >= 24000, but"
                    + " got 16000 instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"output\":{\"format\":{\"type\":\"audio/pcm\","
                    + "\"rate\":48000}}}}",
                    "integer_above_max_value", "session.audio.output.format.rate", "Invalid"
                    + " 'session.audio.output.format.rate': integer above maximum value. Expected a value <= 24000,"
                    + " but got 48000 instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\","
                    + "\"rate\":\"24000\"}}}}",
                    "invalid_type", "session.audio.input.format.rate", "Invalid type for"
                    + " 'session.audio.input.format.rate': expected an integer, but got a string instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"output\":{\"format\":{\"type\":\"pcm16\"}}}}",
                    "invalid_value", "session.audio.output.format.type",
                    "Invalid value: 'pcm16'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"rate\":24000}}}}",
                    "missing_required_parameter", "session.audio.input.format.type",
                    "Missing required parameter: 'session.audio.input.format.type'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\","
                    + "\"rate\":24000}}}}",
                    "integer_above_max_value", "session.audio.input.format.rate", "Invalid"
                    + " 'session.audio.input.format.rate': integer above maximum value. Expected a value <= 8000,"
                    + " but got 24000 instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":"
                    + "{\"silence_duration_ms\":300}}}}",
                    "missing_required_parameter", "session.audio.input.turn_detection.type",
                    "Missing required parameter: 'session.audio.input.turn_detection.type'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"server_vad\","
                    + "\"eagerness\":\"high\"}}}}", "unknown_parameter", "session.audio.input.turn_detection.eagerness",
                    "Unknown parameter: 'session.audio.input.turn_detection.eagerness'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"server_vad\","
                    + "\"threshold\":1.5}}}}", "decimal_above_max_value",
                    "session.audio.input.turn_detection.threshold",
                    "Invalid 'session.audio.input.turn_detection.threshold': decimal above maximum value. Expected a"
                    + " value <= 1.0, but got 1.5 instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"server_vad\","
                    + "\"create_response\":\"yes\"}}}}", "invalid_type",
                    "session.audio.input.turn_detection.create_response", "Invalid type for"
                    + " 'session.audio.input.turn_detection.create_response': expected a boolean, but got a string"
                    + " instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"turn_detection\":"
                    + "{\"type\":\"push_to_talk\"}}}}",
                    "invalid_value", "session.audio.input.turn_detection.type", "Invalid value: 'push_to_talk'."
                    + " Supported values are: 'server_vad' and 'semantic_vad'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"transcription\":{\"model\":\"whisper-1\","
                    + "\"lang\":\"en\"}}}}", "unknown_parameter", "session.audio.input.transcription.lang",
                    "Unknown parameter: 'session.audio.input.transcription.lang'."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":{\"transcription\":{\"model\":4}}}}",
                    "invalid_type", "session.audio.input.transcription.model", "Invalid type for"
                    + " 'session.audio.input.transcription.model': expected a string, but got a number instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"output\":{\"voice\":\"robot\"}}}", "invalid_value",
                    "session.audio.output.voice", "Invalid value: 'robot'. Supported values are: " + VOICES + "."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"output\":{\"speed\":2}}}", "decimal_above_max_value",
                    "session.audio.output.speed", "Invalid 'session.audio.output.speed': decimal above maximum value."
                    + " Expected a value <= 1.5, but got 2.0 instead."),
            new Mistake("{\"type\":\"realtime\",\"output_modalities\":[\"audio\",\"text\"]}", "invalid_value",
                    "session.output_modalities", "Invalid 'session.output_modalities': expected exactly one of"
                    + " 'audio' or 'text'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":{}}", "invalid_type", "session.tools",
                    "Invalid type for 'session.tools': expected an array, but got an object instead."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"name\":\"f\"}]}", "missing_required_parameter",
                    "session.tools[0].type", "Missing required parameter: 'session.tools[0].type'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}",
                    "unknown_parameter", "session.tools[0].function",
                    "Unknown parameter: 'session.tools[0].function'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"name\":\"pause recording\"}]}",
                    "invalid_value", "session.tools[0].name", "Invalid 'session.tools[0].name': string does not match"
                    + " pattern. Expected a string that matches the pattern '[a-zA-Z0-9_-]{1,64}'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},"
                    + "{\"type\":\"function\",\"name\":\"f\"}]}", "invalid_value", "session.tools[1].name",
                    "Invalid 'session.tools[1].name': the tool name 'f' is used twice."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":"
                    + "{\"type\":\"string\"}}]}", "invalid_function_parameters", "session.tools[0].parameters",
                    "Invalid schema for function 'f': schema must be a JSON Schema of 'type: \"object\"', got"
                    + " 'type: \"string\"'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":"
                    + "{\"type\":\"object\",\"properties\":{},\"required\":[\"id\"]}}]}", "invalid_function_parameters",
                    "session.tools[0].parameters.required", "Invalid schema for function 'f': 'required' must list"
                    + " names of 'properties', got \"id\"."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"mcp\",\"server_url\":\"https://a/\"}]}",
                    "missing_required_parameter", "session.tools[0].server_label",
                    "Missing required parameter: 'session.tools[0].server_label'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"mcp\",\"server_label\":\"crm\"}]}",
                    "missing_required_parameter", "session.tools[0].server_url",
                    "Missing required parameter: 'session.tools[0].server_url' (or 'session.tools[0].connector_id')."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"mcp\",\"server_label\":\"crm\","
                    + "\"server_url\":\"https://a/\",\"require_approval\":\"sometimes\"}]}", "invalid_value",
                    "session.tools[0].require_approval", "Invalid value: 'sometimes'. Supported values are: 'always'"
                    + " and 'never'."),
            new Mistake("{\"type\":\"realtime\",\"tools\":[{\"type\":\"mcp\",\"server_label\":\"crm\","
                    + "\"server_url\":\"https://a/\",\"name\":\"crm\"}]}", "unknown_parameter",
                    "session.tools[0].name", "Unknown parameter: 'session.tools[0].name'."),
            new Mistake("{\"type\":\"realtime\",\"tool_choice\":{\"type\":\"function\",\"name\":\"nope\"}}",
                    "invalid_value", "session.tool_choice.name", "Invalid value: 'nope'. Tool choice names no function"
                    + " in 'session.tools'."),
            new Mistake("{\"type\":\"realtime\",\"max_output_tokens\":0}", "integer_below_min_value",
                    "session.max_output_tokens", "Invalid 'session.max_output_tokens': integer below minimum value."
                    + " Expected a value >= 1, but got 0 instead."),
            new Mistake("{\"type\":\"realtime\",\"audio\":{\"input\":\"pcm\"}}", "invalid_type", "session.audio.input",
                    "Invalid type for 'session.audio.input': expected an object, but got a string instead."));

    @Test
    void theGatewaysSessionUpdatePassesAndComesBackWhole() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send("{\"type\":\"session.update\",\"event_id\":\"u1\",\"session\":" + GATEWAY_SESSION + "}");
            JsonNode s = client.next("session.updated").get("session");
            JsonNode sent = WireClient.JSON.readTree(GATEWAY_SESSION);
            for (String field : List.of("instructions", "output_modalities", "tools", "tool_choice",
                    "max_output_tokens")) {
                assertEquals(sent.get(field), s.get(field), field);
            }
            assertEquals(sent.at("/audio/input/format"), s.at("/audio/input/format"));
            assertEquals(sent.at("/audio/output/format"), s.at("/audio/output/format"));
            assertEquals(sent.at("/audio/input/transcription"), s.at("/audio/input/transcription"));
            assertEquals(sent.at("/audio/input/noise_reduction"), s.at("/audio/input/noise_reduction"));
            assertEquals(WireClient.JSON.readTree("{\"type\":\"server_vad\",\"threshold\":0.6,"
                    + "\"prefix_padding_ms\":250,\"silence_duration_ms\":700,\"idle_timeout_ms\":null,"
                    + "\"create_response\":true,\"interrupt_response\":true}"), s.at("/audio/input/turn_detection"),
                    "the rest filled in with defaults");
            assertEquals("marin", s.at("/audio/output/voice").asText());
            assertEquals(List.of(), agent.connection(1).refusals());
        }
    }

    @Test
    void eachClassOfMistakeIsRefusedWithItsCodeAndPathAndChangesNothing() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            ObjectNode before = (ObjectNode) client.next("session.created").get("session");
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < MISTAKES.size(); i++) {
                Mistake m = MISTAKES.get(i);
                client.send("{\"type\":\"session.update\",\"event_id\":\"m" + i + "\",\"session\":" + m.session + "}");
                assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"" + m.code
                        + "\",\"message\":" + WireClient.JSON.writeValueAsString(m.message) + ",\"param\":\"" + m.param
                        + "\",\"event_id\":\"m" + i + "\"}}", client.next("error"));
                codes.add(m.code);
            }
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"x\","
                    + "\"audio\":{\"output\":{\"voice\":\"marin\",\"speed\":2}}}}");
            assertEquals("decimal_above_max_value", client.next("error").at("/error/code").asText(),
                    "one bad field refuses the whole update");
            codes.add("decimal_above_max_value");
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}");
            assertEquals(before, client.next("session.updated").get("session"), "no refused update changed anything");
            assertEquals(codes, agent.connection(1).refusals());
        }
    }

    @Test
    void turnDetectionIsReplacedWholeAndNullTurnsItOff() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":"
                    + "{\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"low\"}}}}}");
            assertEquals(WireClient.JSON.readTree("{\"type\":\"semantic_vad\",\"eagerness\":\"low\","
                    + "\"create_response\":true,\"interrupt_response\":true}"),
                    client.next("session.updated").at("/session/audio/input/turn_detection"));
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":"
                    + "{\"turn_detection\":null}}}}");
            assertEquals(true, client.next("session.updated").at("/session/audio/input/turn_detection").isNull());
        }
    }
}
