package gateway.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The call.json codec. The fixtures under {@code src/test/resources/gateway/library} were written by the recorder
 * before the codec moved here (commit cc4a7ed), so they pin the bytes on disk that old recordings have.
 */
class CallJsonTest {

    static final CallMetadata META = new CallMetadata("20261130T120000Z-0000abcd", "c1@example",
            "sip:a@example", "sip:b@example", Instant.parse("2026-11-30T12:00:00Z"), null);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void holdsSessionsPausesAndTheNegotiatedCodecAreListed() throws Exception {
        CallLog log = new CallLog(
                List.of(new Turn(Role.CALLER, 100, 900, "Hello", "item_U", false)),
                List.of(new HoldPeriod(1000, 4000)),
                List.of(new SessionPeriod(0, "sess_A", 0, 2500, "session_expired", 2480, 0),
                        new SessionPeriod(1, null, 2600, 5000, "connection_lost", 2700, 300),
                        new SessionPeriod(2, null, 5100, 6000, "caller_bye")),
                List.of(new RecordingPause(3000, 3500, "tool")),
                "PCMA");
        JsonNode json = JSON.readTree(CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"),
                "caller_bye", 6000, log, new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE)));
        assertEquals("PCMA", json.path("codec").asText(), "a late offer's codec comes from the ACK's answer");
        assertEquals("[{\"start_ms\":1000,\"end_ms\":4000}]", json.path("holds").toString());
        assertEquals("[{\"index\":0,\"session_id\":\"sess_A\",\"start_ms\":0,\"end_ms\":2500,"
                + "\"end_reason\":\"session_expired\",\"input_ms\":2480},"
                + "{\"index\":1,\"session_id\":null,\"start_ms\":2600,\"end_ms\":5000,"
                + "\"end_reason\":\"connection_lost\",\"input_ms\":2700,\"resent_ms\":300},"
                + "{\"index\":2,\"session_id\":null,\"start_ms\":5100,\"end_ms\":6000,\"end_reason\":\"caller_bye\"}]",
                json.path("realtime_sessions").toString());
        assertEquals("[{\"start_ms\":3000,\"end_ms\":3500,\"by\":\"tool\"}]",
                json.path("recording_paused").toString());
        assertEquals(6000, json.path("duration_ms").asLong());
        assertEquals(log.sessions(), CallJson.read(CallJson.write(new CallRecord(META,
                Instant.parse("2026-11-30T12:00:06Z"), "caller_bye", 6000, log,
                new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE))).log().sessions(),
                "input_ms and resent_ms read back; a file without them reads as unknown and none resent");
    }

    @Test
    void toolCallsAndUsageAreWrittenWhenACallHasThemAndReadBack() throws Exception {
        List<ToolCall> tools = List.of(
                new ToolCall("lookup_order", "call_1", null, 2000, 2350, 348, "{\"order\":\"A-42\"}",
                        "{\"status\":\"shipped\"}", null),
                new ToolCall("end_call", "call_0", null, 1200, 1200, 0, "{}", "{\"call\":\"ending\"}", null),
                new ToolCall("find", "mcp_1", "crm", 2500, 2600, 100, "not json {", "plain text", "mcp_error"),
                new ToolCall("slow", "call_2", null, 3000, 4000, 1000, "{}", null, "timeout"));
        CallUsage usage = new CallUsage(3, 210, 25, 64, 10, 40);
        CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), tools, usage);
        byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"), "agent_hangup",
                6000, log, new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        JsonNode json = JSON.readTree(written);
        assertEquals("[{\"name\":\"end_call\",\"call_id\":\"call_0\",\"server\":null,\"start_ms\":1200,"
                + "\"end_ms\":1200,\"latency_ms\":0,\"arguments\":{},\"output\":{\"call\":\"ending\"},\"error\":null},"
                + "{\"name\":\"lookup_order\",\"call_id\":\"call_1\",\"server\":null,\"start_ms\":2000,\"end_ms\":2350,"
                + "\"latency_ms\":348,\"arguments\":{\"order\":\"A-42\"},\"output\":{\"status\":\"shipped\"},"
                + "\"error\":null},{\"name\":\"find\",\"call_id\":\"mcp_1\",\"server\":\"crm\",\"start_ms\":2500,"
                + "\"end_ms\":2600,\"latency_ms\":100,\"arguments\":\"not json {\",\"output\":\"plain text\","
                + "\"error\":\"mcp_error\"},{\"name\":\"slow\",\"call_id\":\"call_2\",\"server\":null,"
                + "\"start_ms\":3000,\"end_ms\":4000,\"latency_ms\":1000,\"arguments\":{},\"output\":null,"
                + "\"error\":\"timeout\"}]", json.path("tools").toString(), "by start, JSON as JSON, text as text");
        assertEquals("{\"responses\":3,\"input_text_tokens\":210,\"input_audio_tokens\":25,"
                + "\"input_cached_tokens\":64,\"output_text_tokens\":10,\"output_audio_tokens\":40,"
                + "\"total_tokens\":285}", json.path("usage").toString());
        CallRecord read = CallJson.read(written);
        assertEquals(usage, read.log().usage());
        assertEquals(List.of(tools.get(1), tools.get(0), tools.get(2), tools.get(3)), read.log().tools());
        assertArrayEquals(written, CallJson.write(read), "read and written again, the same bytes");
        JsonNode bare = JSON.readTree(CallJson.write(new CallRecord(META, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE)));
        assertTrue(bare.path("tools").isMissingNode() && bare.path("usage").isMissingNode(),
                "a call without them is written as before");
    }

    @Test
    void theProfileAndThePassedHeadersAreWrittenWhenACallHasThemAndReadBack() throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Customer-Id", List.of("C-42"));
        headers.put("Diversion", List.of("<sip:100@pbx>;reason=busy", "<sip:200@pbx>;reason=no-answer"));
        CallMetadata meta = new CallMetadata(META.id(), META.sipCallId(), META.from(), META.to(), META.startedAt(),
                null, "127.0.0.1:5062", "sales", headers);
        byte[] written = CallJson.write(new CallRecord(meta, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        JsonNode json = JSON.readTree(written);
        assertEquals("sales", json.path("profile").asText());
        assertEquals("{\"X-Customer-Id\":[\"C-42\"],\"Diversion\":[\"<sip:100@pbx>;reason=busy\","
                + "\"<sip:200@pbx>;reason=no-answer\"]}", json.path("sip_headers").toString());
        assertEquals(meta, CallJson.read(written).meta());
        assertArrayEquals(written, CallJson.write(CallJson.read(written)), "read and written again, the same bytes");
        JsonNode bare = JSON.readTree(CallJson.write(new CallRecord(META, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE)));
        assertTrue(bare.path("profile").isMissingNode() && bare.path("sip_headers").isMissingNode(),
                "a call without them is written as before");
    }

    @Test
    void aReplayNamesItsOriginalAndAgentAndAPhoneCallOrAnOlderFileHasNeither() throws Exception {
        CallMetadata meta = new CallMetadata(META.id(), META.sipCallId(), META.from(), META.to(), META.startedAt(),
                null, null, "sales", Map.of(), new ReplayOrigin("20261129T080000Z-00001111", "profile sales"));
        byte[] written = CallJson.write(new CallRecord(meta, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        JsonNode json = JSON.readTree(written);
        assertEquals("20261129T080000Z-00001111", json.path("replay_of").asText());
        assertEquals("profile sales", json.path("replay_agent").asText());
        assertEquals(meta, CallJson.read(written).meta());
        assertArrayEquals(written, CallJson.write(CallJson.read(written)), "read and written again, the same bytes");
        JsonNode phoneCall = JSON.readTree(CallJson.write(new CallRecord(META, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE)));
        assertTrue(phoneCall.path("replay_of").isMissingNode() && phoneCall.path("replay_agent").isMissingNode(),
                "a phone call is written as before");
        assertEquals(null, CallJson.read(utf8("{\"id\":\"a1\",\"started_at\":\"2026-11-30T12:00:00.000Z\"}"))
                .meta().replay(), "an older file is no replay");
        assertEquals(null, CallJson.read(utf8("{\"id\":\"a1\",\"started_at\":\"2026-11-30T12:00:00.000Z\","
                + "\"replay_of\":\"../x\"}")).meta().replay(), "a replay_of that is no call id is ignored");
    }

    @Test
    void supervisorsActionsAreWrittenWhenACallHasThemAndReadBack() throws Exception {
        List<CallAction> actions = List.of(new CallAction(1500, "say", "loopback", "Your refund is on its way."),
                new CallAction(2100, "instructions", "token", "Speak slowly."),
                new CallAction(3000, "hangup", "token", null));
        CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), List.of(), null,
                actions);
        byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:03Z"), "api_hangup",
                3000, log, new RecorderStats(3000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals("[{\"at_ms\":1500,\"action\":\"say\",\"by\":\"loopback\","
                + "\"detail\":\"Your refund is on its way.\"},{\"at_ms\":2100,\"action\":\"instructions\","
                + "\"by\":\"token\",\"detail\":\"Speak slowly.\"},{\"at_ms\":3000,\"action\":\"hangup\","
                + "\"by\":\"token\",\"detail\":null}]", JSON.readTree(written).path("actions").toString());
        assertEquals(actions, CallJson.read(written).log().actions());
        assertArrayEquals(written, CallJson.write(CallJson.read(written)), "read and written again, the same bytes");
        byte[] bare = CallJson.write(new CallRecord(META, null, null, 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertTrue(JSON.readTree(bare).path("actions").isMissingNode(), "a call without them is written as before");
        assertEquals(List.of(), CallJson.read(bare).log().actions(), "and an old file reads as none");
    }

    @Test
    void aTransferIsWrittenAsTargetTimeAndStatusAndReadBackAndAFileWithoutOneReadsAsNone() throws Exception {
        CallTransfer transfer = new CallTransfer("sip:queue@pbx.example", 4200, 200);
        CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), List.of(), null,
                List.of(), transfer);
        byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"), "transferred",
                6000, log, new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals("{\"target\":\"sip:queue@pbx.example\",\"at_ms\":4200,\"status\":200}",
                JSON.readTree(written).path("transfer").toString());
        CallRecord read = CallJson.read(written);
        assertEquals(transfer, read.log().transfer());
        assertTrue(read.log().transfer().succeeded());
        assertArrayEquals(written, CallJson.write(read), "read and written again, the same bytes");
        byte[] old = CallJson.write(new CallRecord(META, null, "caller_bye", 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertTrue(JSON.readTree(old).path("transfer").isMissingNode(), "a call without one is written as before");
        assertEquals(null, CallJson.read(old).log().transfer());
    }

    @Test
    void earlyMediaIsWrittenWithItsAnswerTimeOrWithoutOneWhenCancelledAndAFileWithoutItReadsAsNone()
            throws Exception {
        for (EarlyMedia early : List.of(new EarlyMedia(0, 5240), new EarlyMedia(0, EarlyMedia.NOT_ANSWERED))) {
            CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), List.of(),
                    null, List.of(), null, early);
            byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"),
                    early.answered() ? "caller_bye" : "cancelled", 6000, log, new RecorderStats(6000 * 24, 0, 0, 0, 0),
                    RecordingStatus.COMPLETE));
            assertEquals(early.answered() ? "{\"start_ms\":0,\"answered_ms\":5240}" : "{\"start_ms\":0}",
                    JSON.readTree(written).path("early_media").toString());
            CallRecord read = CallJson.read(written);
            assertEquals(early, read.log().earlyMedia());
            assertArrayEquals(written, CallJson.write(read), "read and written again, the same bytes");
        }
        byte[] old = CallJson.write(new CallRecord(META, null, "caller_bye", 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertTrue(JSON.readTree(old).path("early_media").isMissingNode(), "a call without it is written as before");
        assertEquals(null, CallJson.read(old).log().earlyMedia());
    }

    @Test
    void redactionsListTheMaskedSpansByItemWithoutTheTextAndAFileWithoutThemReadsEmpty() throws Exception {
        Turn turn = new Turn(Role.CALLER, 1000, 4000, "It's [redacted:card].", "item-1", false);
        List<Redaction> spans = List.of(new Redaction("item-1", "card", 5, 20));
        CallLog log = new CallLog(List.of(turn), List.of(), List.of(), List.of(), null, null, List.of(), List.of(),
                null, List.of(), null, null, spans);
        byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"), "caller_bye",
                6000, log, new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals("[{\"item_id\":\"item-1\",\"kind\":\"card\",\"start_char\":5,\"end_char\":20}]",
                JSON.readTree(written).path("redactions").toString());
        CallRecord read = CallJson.read(written);
        assertEquals(spans, read.log().redactions());
        assertArrayEquals(written, CallJson.write(read), "read and written again, the same bytes");
        byte[] old = CallJson.write(new CallRecord(META, null, "caller_bye", 0, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertTrue(JSON.readTree(old).path("redactions").isMissingNode(), "a call without any is written as before");
        assertEquals(List.of(), CallJson.read(old).log().redactions());
    }

    @Test
    void analyticsAreWrittenWhenTheRecorderMeasuredThemAndReadBack() throws Exception {
        CallAnalytics analytics = new CallAnalytics(4, 700, 1900, 1900, 500, 1, 1, 4000, 5000, 5000, 2300,
                List.of(new CallAnalytics.Stretch(3000, 3700)), List.of(new CallAnalytics.Stretch(12000, 12500)),
                List.of(new CallAnalytics.Stretch(6000, 10000)));
        CallLog log = new CallLog(List.of(new Turn(Role.CALLER, 1000, 3000, "Hi", "i1", false),
                new Turn(Role.ASSISTANT, 3700, 6000, "Hello", "i2", true)), List.of(new HoldPeriod(14000, 15500)),
                List.of(), List.of(), null, null, List.of(new KeyPress('1', 16000, 100, KeyPress.INBOUND),
                        new KeyPress('#', 17000, 100, KeyPress.OUTBOUND)), List.of(), null, List.of());
        byte[] written = CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:20Z"), "agent_hangup",
                20_000, log, new RecorderStats(20_000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE, analytics));
        assertEquals("{\"replies\":4,\"latency_p50_ms\":700,\"latency_p95_ms\":1900,\"latency_max_ms\":1900,"
                + "\"talk_over_ms\":500,\"talk_over_count\":1,\"dead_air_count\":1,\"longest_dead_air_ms\":4000,"
                + "\"caller_talk_ms\":5000,\"agent_talk_ms\":5000,\"agent_talk_share\":0.5,"
                + "\"longest_monologue_ms\":2300,\"caller_turns\":1,\"agent_turns\":1,\"barge_ins\":1,"
                + "\"dtmf_keys\":1,\"tool_calls\":0,\"hold_ms\":1500,\"hung_up_by\":\"agent\","
                + "\"reply_gaps\":[{\"start_ms\":3000,\"end_ms\":3700}],"
                + "\"talk_overs\":[{\"start_ms\":12000,\"end_ms\":12500}],"
                + "\"dead_airs\":[{\"start_ms\":6000,\"end_ms\":10000}]}",
                JSON.readTree(written).path("analytics").toString());
        CallRecord read = CallJson.read(written);
        assertEquals(analytics, read.analytics());
        assertArrayEquals(written, CallJson.write(read), "read and written again, the same bytes");
    }

    @Test
    void analyticsWrittenBeforeStretchesReadWithNone() throws Exception {
        String older = new String(CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:20Z"),
                "caller_bye", 20_000, CallLog.EMPTY, new RecorderStats(20_000 * 24, 0, 0, 0, 0),
                RecordingStatus.COMPLETE, new CallAnalytics(1, 700, 700, 700, 0, 0, 0, 0, 1000, 1000, 1000))),
                java.nio.charset.StandardCharsets.UTF_8).replaceAll(",\\s*\"reply_gaps\"[^\\]]*\\]", "");
        CallAnalytics read = CallJson.read(older.getBytes(java.nio.charset.StandardCharsets.UTF_8)).analytics();
        assertEquals(new CallAnalytics(1, 700, 700, 700, 0, 0, 0, 0, 1000, 1000, 1000), read);
    }

    @Test
    void missingRangesCoverTheLostSamplesInMillisecondsAndGiveTheExactSamples() throws Exception {
        RecordingStatus status = RecordingStatus.of("IOException: No space left on device", List.of(
                new MissingRange(Role.CALLER, 24_001, 48_000, MissingRange.Cause.BUFFER_FULL),
                new MissingRange(Role.ASSISTANT, 36_000, 47_999, MissingRange.Cause.WRITE_FAILED),
                new MissingRange(Role.CALLER, 60_000, MissingRange.UNKNOWN_END, MissingRange.Cause.GATEWAY_CRASH)));
        JsonNode json = JSON.readTree(CallJson.write(new CallRecord(META, Instant.parse("2026-11-30T12:00:06Z"),
                "gateway_crash", 2500, CallLog.EMPTY, new RecorderStats(60_000, 1, 2, 23_999, 50), status)));
        assertEquals("{\"complete\":false,\"failure\":\"IOException: No space left on device\",\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":1000,\"end_ms\":2000,\"start_sample\":24001,"
                + "\"end_sample\":48000,\"cause\":\"buffer_full\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":1500,\"end_ms\":2000,\"start_sample\":36000,"
                + "\"end_sample\":47999,\"cause\":\"write_failed\"},"
                + "{\"channel\":\"caller\",\"start_ms\":2500,\"end_ms\":null,\"start_sample\":60000,"
                + "\"end_sample\":null,\"cause\":\"gateway_crash\"}]}", json.path("recording").toString());
        assertEquals("{\"late_samples\":1,\"rejected_samples\":2,\"dropped_chunks\":50,\"lost_samples\":23999}",
                json.path("recorder").toString());
    }

    @Test
    void theRecorderOfBeforeWroteTheseBytesAndTheCodecWritesThemAgain() throws Exception {
        CallMetadata meta = new CallMetadata("20261130T120000Z-0000abcd", "c1@example",
                "sip:+15550001111@198.51.100.7", "sip:agent@gw.example.com",
                Instant.parse("2026-11-30T12:00:00.123456Z"), "PCMU");
        CallLog log = new CallLog(
                List.of(new Turn(Role.ASSISTANT, 1000, 1900, "Sure — let me check. \"Quoted\" ✓ 😀", "item_2", true),
                        new Turn(Role.CALLER, 100, 900, "Hello, I need a refund.", "item_1", false),
                        new Turn(Role.CALLER, 2000, 2100, null, null, false)),
                List.of(new HoldPeriod(1000, 4000), new HoldPeriod(4500, 5000)),
                List.of(new SessionPeriod(0, "sess_A", 0, 2500, "session_expired"),
                        new SessionPeriod(1, null, 2600, 6000, null)),
                List.of(new RecordingPause(3000, 3500, "tool"), new RecordingPause(5000, 5200, null)),
                "PCMA");
        RecordingStatus status = RecordingStatus.of("IOException: No space left on device", List.of(
                new MissingRange(Role.CALLER, 24_001, 48_000, MissingRange.Cause.BUFFER_FULL),
                new MissingRange(Role.ASSISTANT, 36_000, 47_999, MissingRange.Cause.WRITE_FAILED),
                new MissingRange(Role.CALLER, 60_000, MissingRange.UNKNOWN_END, MissingRange.Cause.GATEWAY_CRASH)));
        long end = 6000 * 24 + 23;
        byte[] written = CallJson.write(new CallRecord(meta, Instant.parse("2026-11-30T12:00:06.5Z"), "caller_bye",
                6000, log, new RecorderStats(end, 1, 2, 23_999, 50), status));
        assertEquals(fixture("call-with-every-field.call.json"), new String(written, StandardCharsets.UTF_8));

        CallMetadata bare = new CallMetadata("bare", null, null, null, Instant.parse("2026-11-30T12:00:00Z"), null);
        byte[] partial = CallJson.write(new CallRecord(bare, null, null, 200, CallLog.EMPTY,
                new RecorderStats(4700, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals(fixture("checkpoint-before-any-turn.call.json.partial"),
                new String(partial, StandardCharsets.UTF_8));
    }

    @Test
    void whatIsReadWritesBackTheSameBytes() throws Exception {
        for (String name : List.of("call-with-every-field.call.json", "checkpoint-before-any-turn.call.json.partial")) {
            byte[] bytes = fixture(name).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(bytes, CallJson.write(CallJson.read(bytes)), name);
        }
    }

    @Test
    void everyFieldIsReadBack() throws Exception {
        CallRecord call = CallJson.read(fixture("call-with-every-field.call.json").getBytes(StandardCharsets.UTF_8));
        assertEquals(new CallMetadata("20261130T120000Z-0000abcd", "c1@example", "sip:+15550001111@198.51.100.7",
                "sip:agent@gw.example.com", Instant.parse("2026-11-30T12:00:00.123Z"), "PCMA"), call.meta());
        assertEquals(Instant.parse("2026-11-30T12:00:06.500Z"), call.endedAt());
        assertEquals("caller_bye", call.endReason());
        assertEquals(6000, call.durationMs());
        assertEquals(List.of(new Turn(Role.CALLER, 100, 900, "Hello, I need a refund.", "item_1", false),
                new Turn(Role.ASSISTANT, 1000, 1900, "Sure — let me check. \"Quoted\" ✓ 😀", "item_2", true),
                new Turn(Role.CALLER, 2000, 2100, "", null, false)), call.log().turns());
        assertEquals(List.of(new HoldPeriod(1000, 4000), new HoldPeriod(4500, 5000)), call.log().holds());
        assertEquals(List.of(new SessionPeriod(0, "sess_A", 0, 2500, "session_expired"),
                new SessionPeriod(1, null, 2600, 6000, null)), call.log().sessions());
        assertEquals(List.of(new RecordingPause(3000, 3500, "tool"), new RecordingPause(5000, 5200, null)),
                call.log().pauses());
        assertEquals(new RecorderStats(144_023, 1, 2, 23_999, 50), call.stats());
        assertEquals(new RecordingStatus(false, "IOException: No space left on device", List.of(
                new MissingRange(Role.CALLER, 24_001, 48_000, MissingRange.Cause.BUFFER_FULL),
                new MissingRange(Role.ASSISTANT, 36_000, 47_999, MissingRange.Cause.WRITE_FAILED),
                new MissingRange(Role.CALLER, 60_000, MissingRange.UNKNOWN_END, MissingRange.Cause.GATEWAY_CRASH))),
                call.recording());
        assertFalse(call.complete());
        assertNull(call.log().quality(), "a call.json from before the quality block reads without one");
    }

    @Test
    void theQualityBlockIsWrittenAfterTheRecordingObjectAndReadBack() throws Exception {
        CallQuality quality = new CallQuality(3000, 3001, 3004, 4, 1, 2, 100, 2.5, 11.3, 41.0, 63.5, 0.8, 1,
                new CallQuality.RemoteReport(11, 0.4, 2, 1.9), 87.6, 4.26,
                List.of(new CallQuality.LossStretch(1200, 1260, 3), new CallQuality.LossStretch(30_000, 30_020, 1)));
        CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), "PCMU", quality);
        CallRecord record = new CallRecord(META, Instant.parse("2026-11-30T12:01:00Z"), "rtp_timeout", 60_000, log,
                new RecorderStats(60_000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE);
        byte[] written = CallJson.write(record);
        JsonNode json = JSON.readTree(written);
        assertEquals("{\"packets_received\":3000,\"packets_sent\":3001,\"packets_expected\":3004,"
                + "\"packets_lost\":4,\"packets_late\":1,\"packets_duplicated\":2,\"concealed_ms\":100,"
                + "\"jitter_ms\":2.5,\"jitter_max_ms\":11.3,\"rtt_ms\":41.0,\"rtt_max_ms\":63.5,"
                + "\"jitter_buffer_ms\":0.8,\"stream_restarts\":1,\"remote\":{\"reports\":11,"
                + "\"fraction_lost_percent\":0.4,\"packets_lost\":2,\"jitter_ms\":1.9},\"r_factor\":87.6,"
                + "\"mos\":4.26,\"loss\":[{\"start_ms\":1200,\"end_ms\":1260,\"packets\":3},"
                + "{\"start_ms\":30000,\"end_ms\":30020,\"packets\":1}]}", json.path("quality").toString());
        List<String> fields = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(fields.indexOf("recording") + 1, fields.indexOf("quality"));
        assertEquals(log, CallJson.read(written).log());

        CallQuality unmeasured = new CallQuality(0, 12, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, null, null, null,
                List.of());
        CallRecord silent = new CallRecord(META, null, null, 240, new CallLog(List.of(), List.of(), List.of(),
                List.of(), null, unmeasured), new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE);
        JsonNode none = JSON.readTree(CallJson.write(silent)).path("quality");
        assertTrue(none.path("rtt_ms").isNull() && none.path("remote").isNull() && none.path("mos").isNull(),
                none.toString());
        assertEquals(silent.log(), CallJson.read(CallJson.write(silent)).log());
    }

    @Test
    void keyPressesAreWrittenAfterTheHoldsAndReadBackAndAFileWithoutThemReadsEmpty() throws Exception {
        List<KeyPress> keys = List.of(new KeyPress('5', 1_520, 160, KeyPress.INBOUND),
                new KeyPress('#', 2_040, 0, KeyPress.INBOUND), new KeyPress('A', 9_000, 100, KeyPress.OUTBOUND));
        CallLog log = new CallLog(List.of(), List.of(new HoldPeriod(100, 200)), List.of(), List.of(), "PCMU", null,
                keys);
        CallRecord record = new CallRecord(META, Instant.parse("2026-11-30T12:01:00Z"), "caller_bye", 60_000, log,
                new RecorderStats(60_000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE);
        byte[] written = CallJson.write(record);
        JsonNode json = JSON.readTree(written);
        assertEquals("[{\"digit\":\"5\",\"at_ms\":1520,\"duration_ms\":160,\"direction\":\"inbound\"},"
                + "{\"digit\":\"#\",\"at_ms\":2040,\"duration_ms\":0,\"direction\":\"inbound\"},"
                + "{\"digit\":\"A\",\"at_ms\":9000,\"duration_ms\":100,\"direction\":\"outbound\"}]",
                json.path("dtmf").toString());
        List<String> fields = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(fields.indexOf("holds") + 1, fields.indexOf("dtmf"));
        assertEquals(log, CallJson.read(written).log());

        CallRecord none = new CallRecord(META, null, null, 240, CallLog.EMPTY, new RecorderStats(0, 0, 0, 0, 0),
                RecordingStatus.COMPLETE);
        assertTrue(JSON.readTree(CallJson.write(none)).path("dtmf").isMissingNode(), "no keys, no dtmf array");
        assertEquals(List.of(), CallJson.read(CallJson.write(none)).log().keys());
    }

    @Test
    void aCallJsonFromBeforeTheRecordingObjectIsCompleteUnlessTheRecorderCountedALoss() throws Exception {
        String old = "{\"id\":\"old\",\"started_at\":\"2026-11-30T12:00:00.000Z\",\"end_reason\":\"caller_bye\","
                + "\"recorder\":{\"late_samples\":0,\"rejected_samples\":0,\"dropped_chunks\":%d}}";
        CallRecord clean = CallJson.read(String.format(old, 0).getBytes(StandardCharsets.UTF_8));
        assertNull(clean.recording());
        assertTrue(clean.complete());
        assertFalse(CallJson.read(String.format(old, 3).getBytes(StandardCharsets.UTF_8)).complete());
        assertFalse(CallJson.read(String.format(old, 0).replace("caller_bye", "gateway_crash")
                .getBytes(StandardCharsets.UTF_8)).complete(), "a crash lost the end");
        assertTrue(CallJson.read(String.format(old, 3).replace("}}", "},\"recording\":{\"complete\":true}}")
                .getBytes(StandardCharsets.UTF_8)).complete(), "the recording object wins");
    }

    @Test
    void onlyAValidIdAndAStartAreRequired() throws Exception {
        CallRecord bare = CallJson.read(utf8("{\"id\":\"bare\",\"started_at\":\"2026-11-30T18:01:02.345Z\"}"));
        assertEquals(new CallMetadata("bare", null, null, null, Instant.parse("2026-11-30T18:01:02.345Z"), null),
                bare.meta());
        assertEquals(CallLog.EMPTY, bare.log());
        assertEquals(new RecorderStats(0, 0, 0, 0, 0), bare.stats());
        assertEquals("no started_at", assertThrows(IOException.class,
                () -> CallJson.read(utf8("{\"id\":\"x\"}"))).getMessage());
        assertEquals("no valid id", assertThrows(IOException.class,
                () -> CallJson.read(utf8("{\"id\":\"../x\",\"started_at\":\"2026-11-30T18:01:02.345Z\"}")))
                .getMessage());
        assertEquals("not a JSON object", assertThrows(IOException.class, () -> CallJson.read(utf8("[1,2]")))
                .getMessage());
        assertThrows(IOException.class, () -> CallJson.read(utf8("{\"id\":")));
        assertEquals("unknown role: moderator", assertThrows(IOException.class, () -> CallJson.read(utf8(
                "{\"id\":\"x\",\"started_at\":\"2026-11-30T18:01:02.345Z\",\"turns\":[{\"role\":\"moderator\"}]}")))
                .getMessage());
        String backwards = "{\"id\":\"x\",\"started_at\":\"2026-11-30T18:01:02.345Z\","
                + "\"holds\":[{\"start_ms\":5,\"end_ms\":1}]}";
        assertTrue(assertThrows(IOException.class, () -> CallJson.read(utf8(backwards)))
                .getMessage().startsWith("not a call.json: bad hold period"));
    }

    @Test
    void storageAddsTheChecksumsOfTheOtherFilesAndKeepsEveryOtherByteOfTheDocument() throws Exception {
        byte[] callJson = fixture("call-with-every-field.call.json").getBytes(StandardCharsets.UTF_8);
        Map<CallFile, CallJson.FileChecksum> checksums = new EnumMap<>(CallFile.class);
        checksums.put(CallFile.CAPTIONS_SRT, new CallJson.FileChecksum(0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        checksums.put(CallFile.AUDIO, new CallJson.FileChecksum(3,
                "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"));
        checksums.put(CallFile.CAPTIONS_VTT, new CallJson.FileChecksum(7,
                "73420fdc06730575e08b8a09b5b3824e0f2a9d2dd742640613490ef3abac2bd0"));
        byte[] uploaded = CallJson.withFiles(callJson, checksums);
        assertEquals(fixture("uploaded-with-file-checksums.call.json"), new String(uploaded, StandardCharsets.UTF_8));
        assertSame(uploaded, CallJson.withFiles(uploaded, checksums), "unchanged when it already says so");
        assertEquals(CallJson.read(callJson), CallJson.read(uploaded), "the reader passes over the checksums");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = CallJsonTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
