package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.LogCapture;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The active calls API over real sockets: the list, each action, its answers, its audit line. */
class ActiveCallsApiTest {

    private static final String LIVE = "20261201T090000Z-0000live";
    private static final String OVER = "20261201T090000Z-0000over";
    private static final String TOKEN = "sup-Token_0123456789-abcdef";
    private static final ActiveCalls.ActiveCall CALL = new ActiveCalls.ActiveCall(LIVE, "abc@198.51.100.7",
            "sip:+15550001111@198.51.100.7", "sip:agent@gw.example.com", Instant.parse("2026-12-01T09:00:00.120Z"),
            Instant.parse("2026-12-01T09:00:00.480Z"), "talking", 12_345);

    /** An action that reached a call: which, what, by whom. */
    private record Asked(String id, LiveAction action, String by) {
    }

    /** A call's feed that holds one caller frame and one event, then says the call ended. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ListenFeed feed = new ListenFeed() {
        private boolean sent;

        @Override
        public synchronized void drain(Frames frames, Consumer<String> events) {
            if (!sent) {
                sent = true;
                events.accept("{\"type\":\"caller_speech_started\",\"at_ms\":40}");
                frames.frame(CALLER, 960, 1_700_000_000_123L, new short[] {1, -2, 300}, 0, 3);
                ended.complete(null);
            }
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    };
    private ApiFixture api;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void serve(Path dir, String token) throws Exception {
        api = ApiFixture.start(dir, token);
        api.active.set(new ActiveCalls() {
            @Override
            public CompletableFuture<List<ActiveCall>> list() {
                return CompletableFuture.completedFuture(List.of(CALL));
            }

            @Override
            public Optional<CompletableFuture<Void>> act(String id, LiveAction action, String by) {
                if (id.equals(OVER)) {
                    return Optional.of(CompletableFuture.failedFuture(new CallNotActive("the call is over")));
                }
                if (!id.equals(LIVE)) {
                    return Optional.empty();
                }
                asked.add(new Asked(id, action, by));
                return Optional.of(CompletableFuture.completedFuture(null));
            }

            @Override
            public Optional<CompletableFuture<ListenFeed>> listen(String id) {
                return id.equals(LIVE) ? Optional.of(CompletableFuture.completedFuture(feed)) : Optional.empty();
            }
        });
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theActiveCallsAreListedWithTheirTimesAndState(@TempDir Path dir) throws Exception {
        serve(dir, "");
        HttpResponse<byte[]> r = api.get("/api/calls/active");
        assertEquals(200, r.statusCode(), body(r));
        assertEquals("{\"calls\":[{\"id\":\"" + LIVE + "\",\"sip_call_id\":\"abc@198.51.100.7\","
                + "\"from\":\"sip:+15550001111@198.51.100.7\",\"to\":\"sip:agent@gw.example.com\","
                + "\"started_at\":\"2026-12-01T09:00:00.120Z\",\"answered_at\":\"2026-12-01T09:00:00.480Z\","
                + "\"state\":\"talking\",\"duration_ms\":12345}]}\n", body(r));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(405, api.send("POST", "/api/calls/active").statusCode());
    }

    @Test
    void eachActionReachesTheCallWithWhatWasAskedAndIsAudited(@TempDir Path dir) throws Exception {
        serve(dir, "");
        try (LogCapture log = LogCapture.of("")) {
            HttpResponse<byte[]> r = api.postJson("/api/calls/" + LIVE + "/say", "{\"text\":\"One moment, please.\"}");
            assertEquals(200, r.statusCode(), body(r));
            assertEquals("{\"id\":\"" + LIVE + "\",\"action\":\"say\",\"by\":\"loopback\"}", body(r));
            assertEquals(200, api.postJson("/api/calls/" + LIVE + "/instructions",
                    "{\"instructions\":\"Speak slowly.\",\"note\":\"ignored\"}").statusCode());
            assertEquals(200, api.send("POST", "/api/calls/" + LIVE + "/hangup").statusCode());
            assertEquals(List.of(new Asked(LIVE, new LiveAction.Say("One moment, please."), "loopback"),
                    new Asked(LIVE, new LiveAction.Instructions("Speak slowly."), "loopback"),
                    new Asked(LIVE, new LiveAction.HangUp(), "loopback")), asked);
            List<String> audit = log.lines().stream().map(LogCapture.Line::message)
                    .filter(m -> m.startsWith("audit:")).toList();
            assertEquals(3, audit.size(), audit.toString());
            assertTrue(audit.get(0).matches("audit: say \\(19 characters\\) on call " + LIVE + " by loopback at "
                    + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: done"), audit.get(0));
            assertTrue(audit.get(2).startsWith("audit: hangup on call " + LIVE + " by loopback"), audit.get(2));
            assertFalse(audit.stream().anyMatch(m -> m.contains("One moment")), "what is said is not logged");
        }
    }

    @Test
    void anUnknownCallIs404AnEndedOne409AndABadBody400NamingTheField(@TempDir Path dir) throws Exception {
        serve(dir, "");
        assertError(api.postJson("/api/calls/20261201T090000Z-00000gone/say", "{\"text\":\"Hi\"}"), 404,
                "not_found");
        assertError(api.send("POST", "/api/calls/" + OVER + "/hangup"), 409, "call_not_active");
        for (String bad : List.of("", "{}", "[]", "{\"text\":7}", "{\"text\":\"  \"}", "{\"text\":", "\"text\"")) {
            HttpResponse<byte[]> r = api.postJson("/api/calls/" + LIVE + "/say", bad);
            assertError(r, 400, "invalid_body");
            assertTrue(body(r).contains("\\\"text\\\""), bad + ": " + body(r));
        }
        HttpResponse<byte[]> r = api.postJson("/api/calls/" + LIVE + "/instructions", "{\"text\":\"Hi\"}");
        assertError(r, 400, "invalid_body");
        assertTrue(body(r).contains("\\\"instructions\\\""), body(r));
        assertEquals(405, api.get("/api/calls/" + LIVE + "/say").statusCode());
        assertEquals(400, api.postJson("/api/calls/..%2f/say", "{\"text\":\"Hi\"}").statusCode());
        assertEquals(List.of(), asked, "nothing reached the call");
    }

    @Test
    void aTicketOpensTheListenSocketWhichCarriesTheCallsFramesAndEvents(@TempDir Path dir) throws Exception {
        serve(dir, TOKEN);
        HttpResponse<byte[]> r = api.postJson("/api/calls/" + LIVE + "/listen-ticket", "{}");
        assertEquals(200, r.statusCode(), body(r));
        String ticket = new ObjectMapper().readTree(r.body()).path("ticket").asText();
        List<Object> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        WebSocket ws = api.client.newWebSocketBuilder()
                .subprotocols(ListenSocket.SUBPROTOCOL, "ticket." + ticket)
                .buildAsync(URI.create("ws://127.0.0.1:" + api.server.port() + "/api/calls/" + LIVE
                        + "/listen"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket s,
                                                                                  CharSequence data, boolean last) {
                                got.add(data.toString());
                                s.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onBinary(WebSocket s,
                                    ByteBuffer data, boolean last) {
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                got.add(bytes);
                                s.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket s,
                                                                                   int code, String reason) {
                                closedWith.complete(code);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        assertEquals(ListenSocket.SUBPROTOCOL, ws.getSubprotocol());
        assertEquals(1000, closedWith.get(10, TimeUnit.SECONDS), "closed when the call ended");
        assertEquals("{\"type\":\"caller_speech_started\",\"at_ms\":40}", got.get(0));
        ByteBuffer frame = ByteBuffer.wrap((byte[]) got.get(1))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ListenSocket.HEADER_BYTES + 6, frame.remaining());
        assertEquals(ListenFeed.CALLER, frame.get(0));
        assertEquals(3, frame.getInt(4));
        assertEquals(960, frame.getLong(8));
        assertEquals(1_700_000_000_123L, frame.getLong(16));
        assertEquals(List.of((short) 1, (short) -2, (short) 300), List.of(frame.getShort(24), frame.getShort(26),
                frame.getShort(28)));
        assertTrue(((String) got.get(2)).startsWith("{\"type\":\"ended\""), got.get(2).toString());
        Await.until(closed::get, Duration.ofSeconds(10), () -> "the feed was closed");
    }

    @Test
    void theListenSocketNeedsATicketForItsCallAnUpgradeAndThisSitesPage(@TempDir Path dir) throws Exception {
        serve(dir, TOKEN);
        String ticket = new ObjectMapper().readTree(
                api.postJson("/api/calls/" + OVER + "/listen-ticket", "{}").body()).path("ticket").asText();
        String upgrade = "GET /api/calls/" + LIVE + "/listen HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"
                + "\r\nSec-WebSocket-Protocol: " + ListenSocket.SUBPROTOCOL + ", ticket.";
        assertTrue(rawNoToken(upgrade + "nonsense\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 401"));
        assertTrue(rawNoToken(upgrade + ticket + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 401"),
                "a ticket for another call");
        assertError(api.get("/api/calls/" + LIVE + "/listen"), 400, "bad_request");
        HttpResponse<byte[]> foreign = api.send("POST", "/api/calls/" + LIVE + "/hangup", "Origin",
                "https://evil.example");
        assertError(foreign, 403, "forbidden");
        assertEquals(List.of(), asked, "nothing reached the call");
    }

    /** A raw request on a new connection without the token; what the server answered. */
    private String rawNoToken(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void withATokenItIsRequiredAndTheAuditSaysTokenNeverWhichOne(@TempDir Path dir) throws Exception {
        serve(dir, TOKEN);
        try (LogCapture log = LogCapture.of("")) {
            HttpResponse<byte[]> none = api.client.send(HttpRequest.newBuilder(
                            api.uri("/api/calls/" + LIVE + "/hangup"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertError(none, 401, "unauthorized");
            assertEquals(List.of(), asked);
            assertEquals(200, api.postJson("/api/calls/" + LIVE + "/say", "{\"text\":\"Hello\"}").statusCode());
            assertEquals("token", asked.get(0).by());
            List<String> messages = log.lines().stream().map(LogCapture.Line::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("audit: say (5 characters) on call " + LIVE
                    + " by token")), messages.toString());
            assertFalse(messages.stream().anyMatch(m -> m.contains(TOKEN)), "the token is never logged");
        }
    }
}
