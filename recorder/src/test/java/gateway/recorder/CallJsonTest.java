package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallJsonTest {

    private static final CallMetadata META = new CallMetadata("20261130T120000Z-0000abcd", "c1@example",
            "sip:a@example", "sip:b@example", Instant.parse("2026-11-30T12:00:00Z"), null);

    @Test
    void holdsSessionsPausesAndTheNegotiatedCodecAreListed() throws Exception {
        CallLog log = new CallLog(
                List.of(new Turn(Role.CALLER, 100, 900, "Hello", "item_U", false)),
                List.of(new HoldPeriod(1000, 4000)),
                List.of(new SessionPeriod(0, "sess_A", 0, 2500, "session_expired"),
                        new SessionPeriod(1, null, 2600, 6000, "caller_bye")),
                List.of(new RecordingPause(3000, 3500, "tool")),
                "PCMA");
        JsonNode json = new ObjectMapper().readTree(CallJson.render(META, Instant.parse("2026-11-30T12:00:06Z"),
                "caller_bye", 6000 * 24, log, new RecorderStats(6000 * 24, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals("PCMA", json.path("codec").asText(), "a late offer's codec comes from the ACK's answer");
        assertEquals("[{\"start_ms\":1000,\"end_ms\":4000}]", json.path("holds").toString());
        assertEquals("[{\"index\":0,\"session_id\":\"sess_A\",\"start_ms\":0,\"end_ms\":2500,"
                + "\"end_reason\":\"session_expired\"},{\"index\":1,\"session_id\":null,\"start_ms\":2600,"
                + "\"end_ms\":6000,\"end_reason\":\"caller_bye\"}]", json.path("realtime_sessions").toString());
        assertEquals("[{\"start_ms\":3000,\"end_ms\":3500,\"by\":\"tool\"}]",
                json.path("recording_paused").toString());
        assertEquals(6000, json.path("duration_ms").asLong());
    }

    @Test
    void missingRangesCoverTheLostSamplesInMillisecondsAndGiveTheExactSamples() throws Exception {
        RecordingStatus status = new RecordingStatus("IOException: No space left on device", List.of(
                new MissingRange(Role.CALLER, 24_001, 48_000, MissingRange.Cause.BUFFER_FULL),
                new MissingRange(Role.ASSISTANT, 36_000, 47_999, MissingRange.Cause.WRITE_FAILED),
                new MissingRange(Role.CALLER, 60_000, MissingRange.UNKNOWN_END, MissingRange.Cause.GATEWAY_CRASH)));
        JsonNode json = new ObjectMapper().readTree(CallJson.render(META, Instant.parse("2026-11-30T12:00:06Z"),
                "gateway_crash", 60_000, CallLog.EMPTY, new RecorderStats(60_000, 1, 2, 23_999, 50), status));
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
}
