package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import gateway.bridge.tools.WebhookSignature;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call events of a real SIPp call, received by the JDK's HTTP server on loopback: call.started, call.answered and
 * call.ended arrive once each, in order, signed, and say what call.json says (the parties, the codec, the end
 * reason, the duration and the usage); call.ended's link to the recording is the QA API's, and it serves the call.
 */
@Tag("e2e")
class CallEventsIT {

    private static final int RTP_MIN = 39_400;
    private static final String SECRET = "e2e-call-events-secret";
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the receiver got: the body, and whether its signature verified. */
    private record Received(JsonNode body, boolean signed) {
    }

    @TempDir
    Path recordings;

    @Test
    void startedAnsweredAndEndedArriveOnceEachInOrderSignedAndMatchCallJson() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
            boolean signed = timestamp != null
                    && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) <= 300
                    && new WebhookSignature(SECRET).sign(Long.parseLong(timestamp), body).equals(signature);
            received.add(new Received(JSON.readTree(body), signed));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        DemoScript script = GatewayUnderIT.wholeReplies().withToolCallAfterSpeech(1, "end_call", "{}");
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, List.of(
                "--events.webhook-url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/events",
                "--events.secret=" + SECRET))) {
            Sipp.Result sipp = Sipp.scenario("uac_gateway_hangs_up.xml").run(gw.sipPort(), "call-events");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            Await.until(() -> received.stream().anyMatch(r -> "call.ended".equals(r.body().path("type").asText())),
                    STEP_WITHIN, () -> "call.ended received: " + received);

            assertEquals(List.of("call.started 1", "call.answered 2", "call.ended 3"), received.stream()
                    .map(r -> r.body().path("type").asText() + " " + r.body().path("sequence").asLong()).toList());
            assertTrue(received.stream().allMatch(Received::signed), "signed: " + received);
            assertTrue(received.stream().allMatch(r -> json.text("id").equals(r.body().path("call_id").asText())));
            assertEquals(3, new HashSet<>(received.stream().map(r -> r.body().path("id").asText()).toList()).size());

            JsonNode started = received.get(0).body().path("data");
            assertEquals(json.text("from"), started.path("from").asText());
            assertEquals(json.text("to"), started.path("to").asText());
            assertEquals(json.text("sip_call_id"), started.path("sip_call_id").asText(), started.toString());
            assertEquals("default", started.path("profile").asText());
            assertEquals(json.text("codec"), received.get(1).body().path("data").path("codec").asText());

            JsonNode ended = received.get(2).body().path("data");
            assertEquals("agent_hangup", ended.path("end_reason").asText());
            assertTrue(ended.path("answered").asBoolean());
            assertEquals(json.durationMs(), ended.path("duration_ms").asLong(), ended.toString());
            assertEquals(json.root().path("usage"), ended.path("usage"));
            assertTrue(ended.path("usage").path("total_tokens").asLong() > 0, ended.toString());
            String link = ended.path("recording_url").asText();
            assertEquals("http://127.0.0.1:" + gw.httpPort() + "/api/calls/" + json.text("id"), link);
            HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode());
            assertEquals(json.text("id"), JSON.readTree(served.body()).path("id").asText());

            Await.until(() -> gw.metricNow("gateway_call_events_delivered_total") == 3, STEP_WITHIN,
                    () -> "three deliveries counted");
            assertEquals(3.0, gw.metric("gateway_call_events_queued_total"));
            assertEquals(0.0, gw.metric("gateway_call_events_dropped_total"));
            assertEquals(0.0, gw.metric("gateway_call_events_waiting"));
        } finally {
            receiver.stop(0);
        }
    }
}
