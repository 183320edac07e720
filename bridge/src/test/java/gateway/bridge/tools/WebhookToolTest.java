package gateway.bridge.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gateway.realtime.SessionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook tool against a real HTTP server on loopback (the JDK's): the request's body and headers as the README's
 * contract says, the signature checked by the receiver with its own HMAC code, and every way an answer can go wrong
 * turned into an error object the model can read. Cancelling the call's future closes the connection.
 */
class WebhookToolTest {

    private static final String SECRET = "a-secret-of-at-least-16";
    private static final long NOW = 1_800_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 10;
    private static final ToolInvocation INVOCATION = new ToolInvocation("20261123T180102Z-9f3a1c2e", "default",
            "lookup_order", "call_7", "{\"order\":\"A-42\"}", "sip:+15550001111@198.51.100.7", "sip:agent@gw");

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private WebhookClient client;

    /** What the receiver got: the body, the headers it checks, and whether the signature was good. */
    private record Received(String body, String timestamp, String signature, String custom, String contentType,
                            boolean signatureValid) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok", exchange -> answer(exchange, 200, "{\"status\":\"shipped\",\"eta\":\"Friday\"}"));
        server.createContext("/fail", exchange -> answer(exchange, 502, "{\"error\":\"upstream down\"}"));
        server.createContext("/text", exchange -> answer(exchange, 200, "shipped on Friday"));
        server.createContext("/huge", exchange -> answer(exchange, 200,
                "\"" + "x".repeat(WebhookClient.MAX_RESPONSE_BYTES) + "\""));
        server.start();
        client = new WebhookClient(SECRET, InstantSource.fixed(Instant.ofEpochSecond(NOW)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("X-Gateway-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-Gateway-Signature");
        received.add(new Received(new String(request, StandardCharsets.UTF_8), timestamp, signature,
                exchange.getRequestHeaders().getFirst("X-Api-Key"),
                exchange.getRequestHeaders().getFirst("Content-Type"), verifies(timestamp, request, signature)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The receiver's check, written from the README: v1= hex HMAC-SHA256 over "timestamp." and the body. */
    private static boolean verifies(String timestamp, byte[] body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
            return signature != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII))
                    && Math.abs(Long.parseLong(timestamp) - NOW) <= 300;
        } catch (Exception e) {
            return false;
        }
    }

    private WebhookTool tool(String path) {
        return new WebhookTool(new SessionSettings.Tool("lookup_order", "Looks up an order."),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), 5_000,
                Map.of("X-Api-Key", "receiver-key"), client);
    }

    private static ToolResult result(CompletableFuture<ToolResult> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void theRequestIsSignedAndCarriesTheCallAndTheJsonAnswerIsTheOutput() throws Exception {
        ToolResult result = result(tool("/ok").call(INVOCATION));
        assertEquals(new ToolResult.Success("{\"status\":\"shipped\",\"eta\":\"Friday\"}"), result);
        Received request = received.get(0);
        assertTrue(request.signatureValid(), "the receiver verifies the signature: " + request);
        assertEquals(Long.toString(NOW), request.timestamp());
        assertEquals("receiver-key", request.custom(), "configured headers go with it");
        assertEquals("application/json", request.contentType());
        JsonNode body = JSON.readTree(request.body());
        assertEquals(JSON.readTree("{\"type\":\"tool_call\",\"gateway_call_id\":\"20261123T180102Z-9f3a1c2e\","
                + "\"profile\":\"default\",\"tool\":\"lookup_order\",\"tool_call_id\":\"call_7\","
                + "\"arguments\":{\"order\":\"A-42\"},\"caller\":\"sip:+15550001111@198.51.100.7\","
                + "\"callee\":\"sip:agent@gw\"}"), body);
        assertEquals("v1=" + hmac(request.timestamp() + "." + request.body()), request.signature());
    }

    @Test
    void aSignatureMadeWithAnotherSecretDoesNotVerify() throws Exception {
        WebhookClient other = new WebhookClient("another-secret-16-chars", InstantSource.fixed(
                Instant.ofEpochSecond(NOW)));
        try {
            new WebhookTool(new SessionSettings.Tool("lookup_order", "x"), URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/ok"), 5_000, Map.of(), other).call(INVOCATION)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            other.close();
        }
        assertEquals(false, received.get(0).signatureValid());
    }

    @Test
    void anErrorStatusATextAnswerAndAnAnswerTooLargeAreErrorsForTheModel() throws Exception {
        assertEquals(new ToolResult.Failure("http_502", "The tool answered with HTTP status 502."),
                result(tool("/fail").call(INVOCATION)));
        assertEquals(new ToolResult.Failure("invalid_response", "The tool's answer was not JSON."),
                result(tool("/text").call(INVOCATION)));
        assertEquals("too_large", ((ToolResult.Failure) result(tool("/huge").call(INVOCATION))).code());
        assertEquals("{\"error\":{\"code\":\"http_502\",\"message\":\"The tool answered with HTTP status 502.\"}}",
                new ToolResult.Failure("http_502", "The tool answered with HTTP status 502.").output());
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreRefusedWithoutARequest() throws Exception {
        ToolInvocation bad = new ToolInvocation("id", "default", "lookup_order", "call_8", "[1,2", "a", "b");
        assertEquals("invalid_arguments", ((ToolResult.Failure) result(tool("/ok").call(bad))).code());
        assertEquals(List.of(), received);
    }

    @Test
    void aReceiverThatIsDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        WebhookTool down = new WebhookTool(new SessionSettings.Tool("lookup_order", "x"),
                URI.create("http://127.0.0.1:" + port + "/ok"), 5_000, Map.of(), client);
        assertEquals("unreachable", ((ToolResult.Failure) result(down.call(INVOCATION))).code());
    }

    @Test
    void cancellingTheCallClosesTheRequestsConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            WebhookTool slow = new WebhookTool(new SessionSettings.Tool("lookup_order", "x"),
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/slow"), 60_000, Map.of(), client);
            CompletableFuture<ToolResult> call = slow.call(INVOCATION);
            try (Socket connection = listener.accept()) {
                connection.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                InputStream in = connection.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("POST /slow HTTP/1.1"), head);
                call.cancel(true);
                int contentLength = Integer.parseInt(head.replaceAll("(?s).*content-length: *(\\d+).*", "$1"));
                in.readNBytes(contentLength);
                assertEquals(-1, in.read(), "the gateway closed the connection: the request is abandoned");
            }
        }
    }

    /** The request line and headers, lower-cased after the first line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int firstLineEnd = head.indexOf("\r\n");
        return head.substring(0, firstLineEnd) + head.substring(firstLineEnd).toLowerCase(Locale.ROOT);
    }

    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
