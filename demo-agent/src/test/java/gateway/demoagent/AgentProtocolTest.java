package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The agent's wire behaviour seen by a plain JDK WebSocket client: event shapes and non-fatal errors. */
class AgentProtocolTest {

    private static void assertError(WireClient client, String code, String param, String clientEventId)
            throws InterruptedException {
        JsonNode e = client.next();
        assertEquals("error", e.get("type").asText(), e.toString());
        assertTrue(e.get("event_id").asText().startsWith("event_"));
        assertEquals("invalid_request_error", e.at("/error/type").asText());
        assertEquals(code, e.at("/error/code").asText(), e.toString());
        assertEquals(param, e.at("/error/param").isNull() ? null : e.at("/error/param").asText());
        assertEquals(clientEventId, e.at("/error/event_id").isNull() ? null : e.at("/error/event_id").asText());
    }

    @Test
    void sessionCreatedHasTheGaShapeAndUpdatesMergeIntoTheFullSession() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            JsonNode created = client.next();
            assertEquals("session.created", created.get("type").asText());
            JsonNode s = created.get("session");
            assertEquals("realtime", s.get("type").asText());
            assertEquals("gpt-realtime", s.get("model").asText());
            assertEquals("audio/pcm", s.at("/audio/input/format/type").asText());
            assertEquals(24000, s.at("/audio/input/format/rate").asInt());
            assertTrue(s.at("/audio/input/transcription").isNull());
            assertEquals(300, s.at("/audio/input/turn_detection/prefix_padding_ms").asInt());
            assertEquals(500, s.at("/audio/input/turn_detection/silence_duration_ms").asInt());
            assertEquals("alloy", s.at("/audio/output/voice").asText());
            client.send("{\"type\":\"session.update\",\"event_id\":\"c1\",\"session\":{\"type\":\"realtime\","
                    + "\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"server_vad\"}},"
                    + "\"output\":{\"voice\":\"marin\"}}}}");
            JsonNode updated = client.next();
            assertEquals("session.updated", updated.get("type").asText());
            assertEquals("marin", updated.at("/session/audio/output/voice").asText());
            assertEquals(500, updated.at("/session/audio/input/turn_detection/silence_duration_ms").asInt());
            assertEquals(24000, updated.at("/session/audio/output/format/rate").asInt());
        }
    }

    @Test
    void badClientEventsGetNonFatalErrors() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            WebSocket ws = client.socket();
            client.next();
            ws.sendText("{\"type\":\"bogus.event\",\"event_id\":\"c7\"}", true).get();
            assertError(client, "invalid_value", "type", "c7");
            ws.sendText("this is not json", true).get();
            assertError(client, "invalid_json", null, null);
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get();
            assertError(client, "invalid_event", null, null);
            ws.sendText("{\"type\":\"input_audio_buffer.commit\",\"event_id\":\"c8\"}", true).get();
            assertError(client, "input_audio_buffer_commit_empty", null, "c8");
            ws.sendText("{\"type\":\"response.cancel\"}", true).get();
            assertError(client, "response_cancel_not_active", null, null);
            ws.sendText("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_nope\",\"content_index\":0,"
                    + "\"audio_end_ms\":10}", true).get();
            assertError(client, "invalid_value", "item_id", null);
            ws.sendText("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                    + "\"instructions\":\"still here\"}}", true).get();
            JsonNode updated = client.next();
            assertEquals("session.updated", updated.get("type").asText());
            assertEquals("still here", updated.at("/session/instructions").asText());
            assertEquals(java.util.List.of("bogus.event", "(invalid json)", "(binary)", "input_audio_buffer.commit",
                    "response.cancel", "conversation.item.truncate", "session.update"), agent.receivedTypes());
            assertEquals(agent.receivedTypes(), agent.connection(1).receivedTypes());
            ws.abort();
        }
    }
}
