package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook tools on a real SIPp call, answered by a real HTTP server on loopback (the JDK's): the model calls
 * lookup_order after the caller's first turn (the receiver checks the signature and answers), slow_lookup after the
 * second (the receiver never answers in time: the model gets a timeout error, and the call goes on), broken_lookup
 * after the third (HTTP 500: the model gets an error object). Everything is checked where it lands: what the model
 * received, what the receiver received, call.json's tools and usage, and the metrics; the service's own error on
 * the second turn is counted by its code.
 */
@Tag("e2e")
class WebhookToolIT {

    private static final int RTP_MIN = 38_200;
    private static final String SECRET = "e2e-webhook-signing-secret";
    private static final int SLOW_TIMEOUT_MS = 800;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;

    /** A request the receiver got: its path, body, its X-Api-Key header, and whether its signature verified. */
    private record Request(String path, JsonNode body, String apiKey, boolean signed) {
    }

    @Test
    void aToolIsAnsweredASlowOneTimesOutAndAFailingOneGivesAnErrorAndTheCallGoesOn() throws Exception {
        List<Request> requests = new CopyOnWriteArrayList<>();
        CountDownLatch releaseSlow = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            Request request = received(exchange);
            requests.add(request);
            switch (request.path()) {
                case "/orders" -> respond(exchange, 200, "{\"order\":"
                        + request.body().path("arguments").path("order") + ",\"status\":\"shipped\"}");
                case "/slow" -> {
                    try {
                        releaseSlow.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                }
                default -> respond(exchange, 500, "{\"error\":\"database down\"}");
            }
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String tools = "[{\"name\":\"lookup_order\",\"description\":\"Look up an order.\",\"parameters\":{\"type\":"
                + "\"object\",\"properties\":{\"order\":{\"type\":\"string\"}},\"required\":[\"order\"]},\"url\":\""
                + base + "/orders\",\"headers\":{\"X-Api-Key\":\"receiver-key\"}},"
                + "{\"name\":\"slow_lookup\",\"description\":\"Slow.\",\"url\":\"" + base + "/slow\",\"timeout-ms\":"
                + SLOW_TIMEOUT_MS + "},"
                + "{\"name\":\"broken_lookup\",\"description\":\"Broken.\",\"url\":\"" + base + "/broken\"}]";
        DemoScript script = DemoScript.defaults()
                .withToolCall(1, "lookup_order", "{\"order\":\"A-42\"}")
                .withToolCall(2, "slow_lookup", "{}")
                .withToolCall(3, "broken_lookup", "{}")
                .withErrorOnTurn(2, "server_error", "server_error", "The server had an error.");
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings,
                List.of("--agent.tools=" + tools, "--agent.tools-secret=" + SECRET))) {
            Sipp.Running running = Sipp.scenario("uac_three_turns.xml").start(gw.sipPort(), "webhook-tools");
            LiveRecording.of(recordings, STEP_WITHIN);
            DemoConnection session = gw.agent().awaitConnection(1, STEP_WITHIN);
            awaitAnswered(session, 1);
            running.cue("the model had lookup_order's answer and spoke");
            awaitAnswered(session, 2);
            running.cue("the model had slow_lookup's timeout and spoke");
            awaitAnswered(session, 3);
            running.cue("the model had broken_lookup's error and spoke");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            releaseSlow.countDown();

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            assertEquals("caller_bye", json.text("end_reason"), "the call went on to the caller's BYE");

            // What the model received, for each call_id.
            List<DemoConnection.ToolCall> calls = session.toolCalls();
            assertEquals(List.of("lookup_order", "slow_lookup", "broken_lookup"),
                    calls.stream().map(DemoConnection.ToolCall::name).toList());
            assertEquals(JSON.readTree("{\"order\":\"A-42\",\"status\":\"shipped\"}"),
                    JSON.readTree(calls.get(0).output()));
            assertEquals("timeout", JSON.readTree(calls.get(1).output()).at("/error/code").asText());
            assertEquals(JSON.readTree("{\"error\":{\"code\":\"http_500\",\"message\":\"The tool answered with HTTP"
                    + " status 500.\"}}"), JSON.readTree(calls.get(2).output()));

            // What the receiver received: signed, naming the call, the profile, the tool and the caller.
            assertEquals(List.of("/orders", "/slow", "/broken"), requests.stream().map(Request::path).toList());
            assertEquals("receiver-key", requests.get(0).apiKey(), "the tool's configured header went with it");
            for (int i = 0; i < requests.size(); i++) {
                Request request = requests.get(i);
                assertTrue(request.signed(), "the signature verifies: " + request);
                JsonNode body = request.body();
                assertEquals(json.text("id"), body.path("gateway_call_id").asText());
                assertEquals("default", body.path("profile").asText());
                assertEquals(calls.get(i).name(), body.path("tool").asText());
                assertEquals(calls.get(i).callId(), body.path("tool_call_id").asText());
                assertEquals(JSON.readTree(calls.get(i).arguments()), body.path("arguments"));
                assertEquals(json.text("from"), body.path("caller").asText());
                assertEquals(json.text("to"), body.path("callee").asText());
            }

            // call.json: each call with its time, arguments, output or error, and latency.
            JsonNode logged = json.root().path("tools");
            assertEquals(3, logged.size(), logged.toString());
            assertEquals(List.of("lookup_order", "slow_lookup", "broken_lookup"), List.of(
                    logged.path(0).path("name").asText(), logged.path(1).path("name").asText(),
                    logged.path(2).path("name").asText()));
            assertEquals(JSON.readTree("{\"order\":\"A-42\"}"), logged.path(0).path("arguments"));
            assertEquals(JSON.readTree(calls.get(0).output()), logged.path(0).path("output"));
            assertTrue(logged.path(0).path("error").isNull());
            assertEquals("timeout", logged.path(1).path("error").asText());
            assertTrue(logged.path(1).path("latency_ms").asLong() >= SLOW_TIMEOUT_MS, logged.path(1).toString());
            assertEquals("http_500", logged.path(2).path("error").asText());
            for (JsonNode tool : logged) {
                assertTrue(tool.path("end_ms").asLong() >= tool.path("start_ms").asLong()
                        && tool.path("end_ms").asLong() <= json.durationMs(), tool.toString());
            }

            JsonNode usage = json.root().path("usage");
            List<DemoConnection.Usage> reported = session.usages();
            assertEquals(reported.size(), usage.path("responses").asLong(), usage.toString());
            assertEquals(reported.stream().mapToLong(u -> u.inputTextTokens() + u.inputAudioTokens()
                    + u.outputTextTokens() + u.outputAudioTokens()).sum(), usage.path("total_tokens").asLong());

            assertEquals(1.0, gw.metric("gateway_tool_calls_total{outcome=\"ok\",tool=\"lookup_order\"}"));
            assertEquals(1.0, gw.metric("gateway_tool_calls_total{outcome=\"timeout\",tool=\"slow_lookup\"}"));
            assertEquals(1.0, gw.metric("gateway_tool_calls_total{outcome=\"error\",tool=\"broken_lookup\"}"));
            assertEquals(1.0, gw.metric("gateway_realtime_errors_total{code=\"server_error\",kind=\"server_error\"}"),
                    "the service's error is counted by its code");
            assertTrue(gw.metric("gateway_realtime_rate_limit_remaining{name=\"tokens\"}") < 40_000,
                    "the rate limits as the service last gave them");
        } finally {
            releaseSlow.countDown();
            receiver.stop(0);
        }
    }

    /** Waits until the model has the output of its n-th tool call and has spoken after it. */
    private static void awaitAnswered(DemoConnection session, int n) throws InterruptedException {
        Await.until(() -> {
            List<DemoConnection.Item> items = session.conversation();
            int outputs = 0;
            for (int i = 0; i < items.size(); i++) {
                if ("function_call_output".equals(items.get(i).contentType()) && ++outputs == n) {
                    return items.subList(i, items.size()).stream()
                            .anyMatch(item -> "output_audio".equals(item.contentType()));
                }
            }
            return false;
        }, STEP_WITHIN, () -> "the model spoke after tool output " + n + ": " + session.conversation());
    }

    private static Request received(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("X-Gateway-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-Gateway-Signature");
        return new Request(exchange.getRequestURI().getPath(), JSON.readTree(body),
                exchange.getRequestHeaders().getFirst("X-Api-Key"), verifies(timestamp, body, signature));
    }

    /** The receiver's check as the README gives it: v1= hex HMAC-SHA256 of "timestamp." and the body, fresh. */
    private static boolean verifies(String timestamp, byte[] body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = ("v1=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
            return signature != null && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))
                    && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) <= 300;
        } catch (Exception e) {
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
