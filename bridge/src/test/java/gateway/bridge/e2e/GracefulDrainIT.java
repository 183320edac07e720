package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM drains the gateway (a separate JVM): new INVITEs get 503 with Retry-After and {@code /health/ready} says
 * draining while the call in progress runs on; when its caller hangs up the gateway exits 0 with the call recorded.
 * A second SIGTERM, or the end of {@code shutdown.drain-seconds}, ends the call in progress with a BYE and
 * end_reason {@code shutdown}, its recording finished all the same; first the agent says {@code shutdown.goodbye},
 * which the caller hears whole and the recording holds before the BYE.
 */
@Tag("e2e")
class GracefulDrainIT {

    private static final int RTP_MIN = 35_300;
    /** Where the raw caller says its RTP goes (it sends none), and who it is. */
    private static final int RTP_PORT = RTP_MIN + 90;
    private static final String USER = "drain";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** No RTP flows in these calls: the inactivity timeout must not end them. */
    private static final String NO_RTP_TIMEOUT = "--rtp.timeout-seconds=0";
    private static final String GOODBYE = "We are closing for maintenance. Goodbye.";
    /** The demo agent's reply to a response.create with instructions: its tone, this long. */
    private static final long DEMO_TONE_MS = 1000;
    private static final int FRAME_MS = 20;
    /** The demo tone is at -10 dBFS (RMS about 7300); silence and comfort noise are far below this. */
    private static final double LOUD_RMS = 2000;

    @TempDir
    Path dir;

    private static HttpResponse<String> get(GatewayProcess gw, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitDraining(GatewayProcess gw) throws InterruptedException {
        Await.until(() -> {
            try {
                return get(gw, "/health/ready");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, r -> r.statusCode() == 503, TIMEOUT, r -> "/health/ready still " + r.statusCode() + " " + r.body());
    }

    private static JsonNode callJson(Path recordings) throws Exception {
        Path call = Recordings.awaitFinished(recordings, 1, TIMEOUT).get(0);
        return new ObjectMapper().readTree(call.resolve("call.json").toFile());
    }

    @Test
    void aDrainingGatewayRefusesNewCallsAndExitsWhenTheLastCallEnds() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, dir.resolve("gateway.log"),
                List.of("--shutdown.drain-seconds=3600", NO_RTP_TIMEOUT));
             RawSipClient caller = new RawSipClient(gw.sipPort());
             RawSipClient late = new RawSipClient(gw.sipPort())) {
            assertEquals(200, get(gw, "/health/ready").statusCode());
            SipMessage ok = caller.answeredCall(USER, "drain-kept", RTP_PORT, TIMEOUT);

            gw.terminate();
            awaitDraining(gw);
            HttpResponse<String> ready = get(gw, "/health/ready");
            assertTrue(ready.body().startsWith("draining: 1 call(s) in progress"), ready.body());
            assertEquals(503, get(gw, "/health").statusCode());
            assertEquals(200, get(gw, "/health/live").statusCode(), "alive while draining");

            SipMessage refused = late.call(USER, "drain-refused", RTP_PORT, TIMEOUT);
            assertEquals(503, refused.statusCode(), refused.toString());
            assertEquals("60", refused.header("Retry-After").orElseThrow());

            caller.sendInDialog(USER, "drain-kept", ok, "BYE", 2, "-bye");
            assertEquals(200, caller.awaitFinalResponse(TIMEOUT).statusCode());
            assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
            JsonNode json = callJson(recordings);
            assertEquals("caller_bye", json.path("end_reason").asText(), json.toString());
            assertEquals("drain-kept", json.path("sip_call_id").asText());
            assertTrue(gw.log().contains("Draining: 1 call(s) in progress run on"), gw.log());
        }
    }

    @Test
    void aSecondSigtermEndsTheCallsInProgressAndStillFinishesTheirRecordings() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, dir.resolve("gateway.log"),
                List.of("--shutdown.drain-seconds=3600", NO_RTP_TIMEOUT));
             RawSipClient caller = new RawSipClient(gw.sipPort())) {
            caller.answeredCall(USER, "drain-cut", RTP_PORT, TIMEOUT);

            gw.terminate();
            awaitDraining(gw);
            gw.terminate();
            SipMessage bye = caller.awaitRequest("BYE", TIMEOUT);
            assertEquals("drain-cut", bye.header("Call-ID").orElseThrow());
            caller.answerOk(bye);
            assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
            assertEquals("shutdown", callJson(recordings).path("end_reason").asText());
        }
    }

    @Test
    void theDrainDeadlineEndsTheCallsInProgressAfterTheAgentsGoodbye() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        List<RtpPeer.Packet> heardBeforeBye;
        try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, dir.resolve("gateway.log"),
                List.of("--shutdown.drain-seconds=1", "--shutdown.goodbye=" + GOODBYE, NO_RTP_TIMEOUT));
             RawSipClient caller = new RawSipClient(gw.sipPort());
             RtpPeer rtp = RtpPeer.open()) {
            caller.answeredCall(USER, "drain-deadline", rtp.port(), TIMEOUT);

            gw.terminate();
            SipMessage bye = caller.awaitRequest("BYE", TIMEOUT);
            heardBeforeBye = rtp.received();
            assertEquals("drain-deadline", bye.header("Call-ID").orElseThrow());
            caller.answerOk(bye);
            assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
            assertTrue(gw.log().contains("Drain deadline of 1 s reached"), gw.log());
            assertTrue(gw.log().contains("the agent says goodbye before the gateway stops"), gw.log());
        }
        // The demo agent speaks its 1 s tone for a response.create with instructions; the caller heard all of it.
        short[] heard = Signals.decodeUlaw(RtpPeer.payloads(heardBeforeBye));
        List<Signals.Segment> loud = Signals.activity(heard, 8000, FRAME_MS, LOUD_RMS, 100);
        assertEquals(1, loud.size(), "the goodbye, once, before the BYE: " + loud);
        assertEquals(DEMO_TONE_MS, loud.get(0).endMs() - loud.get(0).startMs(), 2 * FRAME_MS, loud.toString());
        int start = (int) loud.get(0).startMs() * 8;
        assertEquals(440, Signals.dominantFrequency(heard, start + 800, start + 7200, 8000, 10, 2000), 10);

        RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
        assertEquals("shutdown", call.json().text("end_reason"));
        List<CallJson.Turn> said = call.json().turns("assistant");
        assertEquals(1, said.size(), said.toString());
        CallJson.Turn goodbye = said.get(0);
        assertTrue(goodbye.text().endsWith(GOODBYE), goodbye.toString());
        assertFalse(goodbye.interrupted(), goodbye.toString());
        assertEquals(DEMO_TONE_MS, goodbye.endMs() - goodbye.startMs(), 2 * FRAME_MS, goodbye.toString());
        assertTrue(goodbye.endMs() <= call.json().durationMs(), "the goodbye ends before the BYE: " + goodbye);
        List<Signals.Segment> recorded = Signals.activity(call.assistant(), RecordedCall.SAMPLE_RATE, FRAME_MS,
                LOUD_RMS, 100);
        assertEquals(1, recorded.size(), "the goodbye on the assistant channel: " + recorded);
        assertEquals(goodbye.startMs(), recorded.get(0).startMs(), 2 * FRAME_MS, recorded.toString());
        assertEquals(DEMO_TONE_MS, recorded.get(0).endMs() - recorded.get(0).startMs(), 2 * FRAME_MS,
                recorded.toString());
    }
}
