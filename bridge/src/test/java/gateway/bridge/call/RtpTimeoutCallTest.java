package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.sip.MediaDirection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller who vanishes without a BYE, on the manual clock: after {@code rtp.timeout-seconds} without RTP or RTCP
 * the gateway hangs up (BYE) and call.json says {@code rtp_timeout}; while the caller holds the call, silence is
 * expected and the timeout waits.
 */
class RtpTimeoutCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aCallerSilentForTheTimeoutIsHungUpWithRtpTimeout() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy()).rtpTimeout(30);
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.talk(2000, line);
        fx.advanceMillis(29_000);
        assertEquals(CallState.TALKING, line.call.state(), "29 s of nothing: still up");
        fx.advanceMillis(1_000);
        assertEquals(CallState.ENDED, line.call.state());
        assertEquals("BYE", line.dialog.actions.get(line.dialog.actions.size() - 1), "the gateway hangs up");
        line.call.finished().get(10, TimeUnit.SECONDS);
        JsonNode json = JSON.readTree(Files.readString(line.directory().resolve("call.json")));
        assertEquals("rtp_timeout", json.path("end_reason").asText());
        assertEquals(32_000, json.path("duration_ms").asLong(), 40);
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"rtp_timeout\"} 1.0"));
    }

    @Test
    void aHeldCallWaitsAndTheTimeoutStartsAfreshWhenItResumes() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy()).rtpTimeout(30);
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.talk(1000, line);
        line.dialog.listener.onMediaChanged(FakeDialog.PCMU.withDirection(MediaDirection.RECVONLY)); // caller holds
        fx.advanceMillis(90_000);
        assertEquals(CallState.HELD, line.call.state(), "on hold, no audio is expected");
        line.dialog.listener.onMediaChanged(FakeDialog.PCMU);
        fx.advanceMillis(29_500);
        assertEquals(CallState.TALKING, line.call.state());
        assertFalse(line.dialog.actions.contains("BYE"));
        fx.advanceMillis(600);
        assertEquals(CallState.ENDED, line.call.state());
        line.call.finished().get(10, TimeUnit.SECONDS);
        JsonNode json = JSON.readTree(Files.readString(line.directory().resolve("call.json")));
        assertEquals("rtp_timeout", json.path("end_reason").asText());
        assertEquals(1, json.path("holds").size());
    }
}
