package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ServerEventParserTest {

    /** Captures callbacks; audio is copied because the parser reuses its array. */
    private static final class Capture implements RealtimeListener {
        final List<ServerEvent> events = new ArrayList<>();
        final List<String> deltaIds = new ArrayList<>();
        final List<short[]> deltas = new ArrayList<>();
        short[] lastArray;

        @Override
        public void onEvent(ServerEvent event) {
            events.add(event);
        }

        @Override
        public void onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length) {
            deltaIds.add(responseId + "/" + itemId);
            deltas.add(Arrays.copyOfRange(pcm, offset, offset + length));
            lastArray = pcm;
        }

        @Override
        public void onClosed(int statusCode, String reason) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final LongAdder malformed = new LongAdder();
    private final ServerEventParser parser = new ServerEventParser(malformed);
    private final Capture capture = new Capture();

    private void parse(String json) {
        ByteBuf frame = Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
        try {
            parser.parse(frame, capture);
            assertEquals(0, frame.readerIndex(), "reader index restored");
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesAnAudioDeltaToTheExactSamples() {
        parse("{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_1\",\"response_id\":\"resp_R\","
                + "\"item_id\":\"item_A\",\"output_index\":0,\"content_index\":0,\"delta\":\"AAABAP///38AgAAB\","
                + "\"obfuscation\":{\"x\":[1,2]}}");
        assertEquals(List.of("resp_R/item_A"), capture.deltaIds);
        assertArrayEquals(new short[] {0, 1, -1, 32767, -32768, 256}, capture.deltas.get(0));
        assertEquals(List.of(), capture.events);
    }

    @Test
    void reusesTheSampleArrayAndTheIdsAcrossDeltas() {
        String delta = "{\"type\":\"response.output_audio.delta\",\"response_id\":\"resp_R\",\"item_id\":\"item_A\","
                + "\"delta\":\"6AMw+LgL\"}";
        parse(delta.replace("6AMw+LgL", "AAABAP///38AgAAB"));
        short[] first = capture.lastArray;
        parse(delta);
        assertSame(first, capture.lastArray, "a shorter delta reuses the array");
        assertArrayEquals(new short[] {1000, -2000, 3000}, capture.deltas.get(1));
        assertEquals(List.of("resp_R/item_A", "resp_R/item_A"), capture.deltaIds);
    }

    @Test
    void acceptsAnAudioDeltaWhoseTypeIsNotTheFirstField() {
        parse("{\"delta\":\"6AMw+LgL\",\"item_id\":\"item_B\",\"type\":\"response.output_audio.delta\","
                + "\"response_id\":\"resp_S\"}");
        assertEquals(List.of("resp_S/item_B"), capture.deltaIds);
        assertArrayEquals(new short[] {1000, -2000, 3000}, capture.deltas.get(0));
    }

    @Test
    void mapsTheEventsTheGatewayUsesAndIgnoresUnknownFields() {
        parse("{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\",\"audio_start_ms\":1236,"
                + "\"item_id\":\"item_U\",\"new_field\":{\"a\":[1]}}");
        parse("{\"event_id\":\"e\",\"type\":\"input_audio_buffer.speech_stopped\",\"audio_end_ms\":3808,"
                + "\"item_id\":\"item_U\"}");
        parse("{\"type\":\"input_audio_buffer.committed\",\"previous_item_id\":null,\"item_id\":\"item_U\"}");
        parse("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_R\",\"status\":\"in_progress\"}}");
        parse("{\"type\":\"response.output_item.added\",\"response_id\":\"resp_R\",\"output_index\":0,"
                + "\"item\":{\"id\":\"item_A\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}");
        parse("{\"type\":\"response.output_audio.done\",\"response_id\":\"resp_R\",\"item_id\":\"item_A\"}");
        parse("{\"type\":\"response.output_audio_transcript.delta\",\"response_id\":\"resp_R\",\"item_id\":\"item_A\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\" there\",\"obfuscation\":\"x\"}");
        parse("{\"type\":\"response.output_audio_transcript.done\",\"response_id\":\"resp_R\",\"item_id\":\"item_A\","
                + "\"transcript\":\"Hello there.\"}");
        parse("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"item_id\":\"item_U\","
                + "\"content_index\":0,\"transcript\":\"Hi.\",\"usage\":{\"type\":\"duration\",\"seconds\":1}}");
        parse("{\"type\":\"conversation.item.input_audio_transcription.failed\",\"item_id\":\"item_U\","
                + "\"error\":{\"message\":\"audio unclear\"}}");
        parse("{\"type\":\"response.done\",\"response\":{\"id\":\"resp_R\",\"status\":\"cancelled\","
                + "\"status_details\":{\"type\":\"cancelled\",\"reason\":\"turn_detected\"}}}");
        parse("{\"type\":\"response.done\",\"response\":{\"id\":\"resp_T\",\"status\":\"completed\","
                + "\"status_details\":null}}");
        parse("{\"type\":\"conversation.item.truncated\",\"item_id\":\"item_A\",\"content_index\":0,"
                + "\"audio_end_ms\":1500}");
        parse("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_value\","
                + "\"message\":\"bad\",\"param\":\"type\",\"event_id\":null}}");
        parse("{\"type\":\"session.created\",\"session\":{\"id\":\"sess_C\",\"expires_at\":1767225600}}");
        parse("{\"type\":\"session.updated\",\"session\":{}}");
        assertEquals(List.of(
                new ServerEvent.SpeechStarted(1236, "item_U"),
                new ServerEvent.SpeechStopped(3808, "item_U"),
                new ServerEvent.InputAudioCommitted("item_U", null),
                new ServerEvent.ResponseCreated("resp_R"),
                new ServerEvent.OutputItemAdded("resp_R", "item_A", "message"),
                new ServerEvent.OutputAudioDone("resp_R", "item_A"),
                new ServerEvent.OutputAudioTranscriptDelta("resp_R", "item_A", " there"),
                new ServerEvent.OutputAudioTranscriptDone("resp_R", "item_A", "Hello there."),
                new ServerEvent.InputTranscriptionCompleted("item_U", "Hi."),
                new ServerEvent.InputTranscriptionFailed("item_U", "audio unclear"),
                new ServerEvent.ResponseDone("resp_R", "cancelled", "turn_detected"),
                new ServerEvent.ResponseDone("resp_T", "completed", null),
                new ServerEvent.ItemTruncated("item_A", 1500),
                new ServerEvent.ErrorEvent("invalid_request_error", "invalid_value", "bad", "type"),
                new ServerEvent.SessionCreated("sess_C", 1767225600),
                new ServerEvent.SessionUpdated(null, ServerEvent.NO_TIME)), capture.events);
    }

    @Test
    void aFunctionCallCarriesItsNameCallIdAndArgumentsText() {
        parse("{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"event_1\","
                + "\"response_id\":\"resp_F\",\"item_id\":\"item_F\",\"output_index\":0,\"call_id\":\"call_7\","
                + "\"name\":\"pause_recording\",\"arguments\":\"{}\"}");
        assertEquals(List.of(new ServerEvent.FunctionCallArgumentsDone("resp_F", "item_F", "call_7",
                "pause_recording", "{}")), capture.events);
    }

    @Test
    void responseDoneCarriesTheTokensUsedAndAFailuresError() {
        parse("{\"type\":\"response.done\",\"response\":{\"id\":\"resp_R\",\"status\":\"completed\","
                + "\"usage\":{\"total_tokens\":253,\"input_tokens\":127,\"output_tokens\":126,"
                + "\"input_token_details\":{\"text_tokens\":119,\"audio_tokens\":8,\"image_tokens\":0,"
                + "\"cached_tokens\":64,\"cached_tokens_details\":{\"text_tokens\":64,\"audio_tokens\":0}},"
                + "\"output_token_details\":{\"text_tokens\":30,\"audio_tokens\":96}}}}");
        parse("{\"type\":\"response.done\",\"response\":{\"id\":\"resp_F\",\"status\":\"failed\","
                + "\"status_details\":{\"type\":\"failed\",\"error\":{\"type\":\"tokens\","
                + "\"code\":\"rate_limit_exceeded\"}},\"usage\":null}}");
        assertEquals(List.of(
                new ServerEvent.ResponseDone("resp_R", "completed", null, null, null,
                        new ServerEvent.Usage(119, 8, 64, 30, 96)),
                new ServerEvent.ResponseDone("resp_F", "failed", null, "tokens", "rate_limit_exceeded", null)),
                capture.events);
        assertEquals(127, ((ServerEvent.ResponseDone) capture.events.get(0)).usage().inputTokens());
        assertEquals(126, ((ServerEvent.ResponseDone) capture.events.get(0)).usage().outputTokens());
    }

    @Test
    void rateLimitsTheMcpItemsAndAnErrorsEventIdAreRead() {
        parse("{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":\"requests\",\"limit\":1000,"
                + "\"remaining\":999,\"reset_seconds\":0.06},{\"name\":\"tokens\",\"limit\":40000,"
                + "\"remaining\":39747,\"reset_seconds\":0.38}]}");
        parse("{\"type\":\"response.output_item.done\",\"response_id\":\"resp_M\",\"output_index\":0,"
                + "\"item\":{\"id\":\"mcp_1\",\"type\":\"mcp_call\",\"server_label\":\"crm\","
                + "\"name\":\"find\",\"arguments\":\"{\\\"q\\\":1}\",\"output\":\"found\",\"error\":null}}");
        parse("{\"type\":\"response.output_item.done\",\"response_id\":\"resp_M\",\"item\":{\"id\":\"mcp_2\","
                + "\"type\":\"mcp_call\",\"server_label\":\"crm\",\"name\":\"find\",\"arguments\":\"{}\","
                + "\"error\":{\"type\":\"tool_execution_error\",\"message\":\"no such record\"}}}");
        parse("{\"type\":\"response.output_item.done\",\"response_id\":\"resp_M\",\"item\":{\"id\":\"mcpr_3\","
                + "\"type\":\"mcp_approval_request\",\"server_label\":\"crm\",\"name\":\"delete\","
                + "\"arguments\":\"{}\"}}");
        parse("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                + "\"conversation_already_has_active_response\",\"message\":\"busy\",\"event_id\":\"gw_response_3\"}}");
        assertEquals(List.of(
                new ServerEvent.RateLimitsUpdated(List.of(new ServerEvent.RateLimit("requests", 1000, 999, 0.06),
                        new ServerEvent.RateLimit("tokens", 40000, 39747, 0.38))),
                new ServerEvent.OutputItemDone("resp_M", "mcp_1", "mcp_call", "crm", "find", "{\"q\":1}", "found",
                        null),
                new ServerEvent.OutputItemDone("resp_M", "mcp_2", "mcp_call", "crm", "find", "{}", null,
                        "no such record"),
                new ServerEvent.OutputItemDone("resp_M", "mcpr_3", "mcp_approval_request", "crm", "delete", "{}",
                        null, null),
                new ServerEvent.ErrorEvent("invalid_request_error", "conversation_already_has_active_response", "busy",
                        null, "gw_response_3")), capture.events);
    }

    @Test
    void unknownTypesMissingFieldsAndGarbageAreTolerated() {
        parse("{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":\"tokens\"}]}");
        parse("{\"type\":\"input_audio_buffer.speech_started\"}");
        parse("{\"type\":\"response.done\"}");
        parse("{\"no_type\":true}");
        parse("not json at all");
        parse("[1,2,3]");
        parse("{\"type\":\"response.output_audio.delta\",\"response_id\":\"r\",\"delta\":\"@@@@\"}");
        parse("{\"type\":\"response.output_audio.delta\",\"response_id\":\"r\"}");
        parse("{\"type\":\"response.output_audio.delta\",\"delta\":\"AAAA\"");
        parse("{\"type\":\"error\",\"error\":\"oops\"}");
        assertEquals(List.of(
                new ServerEvent.RateLimitsUpdated(List.of(new ServerEvent.RateLimit("tokens", 0, 0, 0))),
                new ServerEvent.SpeechStarted(ServerEvent.NO_TIME, null),
                new ServerEvent.ResponseDone(null, null, null),
                new ServerEvent.Unknown(null),
                new ServerEvent.ErrorEvent(null, null, null, null)), capture.events);
        assertEquals(List.of(), capture.deltas);
    }

    @Test
    void aFrameThatIsNotJsonIsCountedAndTheNextEventStillArrives() {
        parse("not json at all");
        parse("{\"type\":\"response.output_audio.delta\",\"delta\":\"AAAA\"");
        parse("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":40");
        assertEquals(3, malformed.sum(), "each unreadable frame is counted once");
        parse("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":40}");
        parse("{\"type\":\"some.future_event\"}");
        assertEquals(3, malformed.sum(), "a readable event of an unknown type is not malformed");
        assertEquals(List.of(new ServerEvent.SpeechStarted(40, null), new ServerEvent.Unknown("some.future_event")),
                capture.events);
    }

    @Test
    void everyRecordHasADistinctTypeConstantThatTheParserMapsBackToIt() throws Exception {
        Set<String> seen = new HashSet<>();
        for (Class<?> kind : ServerEvent.class.getPermittedSubclasses()) {
            if (kind == ServerEvent.Unknown.class) {
                continue;
            }
            String type = (String) kind.getField("TYPE").get(null);
            assertTrue(seen.add(type), "duplicate " + type);
            ServerEvent event = ServerEventParser.toEvent(type, JSON.readTree("{\"type\":\"" + type + "\"}"));
            assertSame(kind, event.getClass(), type);
            assertEquals(type, event.type());
        }
        assertEquals(ServerEvent.class.getPermittedSubclasses().length - 1, seen.size());
        assertFalse(seen.contains(ServerEvent.OUTPUT_AUDIO_DELTA), "audio deltas have no record");
        assertEquals(new ServerEvent.Unknown("conversation.item.added"),
                ServerEventParser.toEvent("conversation.item.added", JSON.readTree("{}")));
    }
}
