package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RealtimeClientTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private final RealtimeClient client = new RealtimeClient(RealtimeClient.defaultSslContext(), 500);

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Throwable failure(CompletableFuture<RealtimeConnection> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** An HTTP server that records the upgrade request and refuses it with 401, as a wrong endpoint would. */
    private static HttpServer refusingServer(CompletableFuture<Map<String, List<String>>> headers,
                                             CompletableFuture<String> uri) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            headers.complete(Map.copyOf(exchange.getRequestHeaders()));
            uri.complete(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void sendsTheBearerKeyAndNoBetaHeaderAndFailsOnANon101Answer() throws Exception {
        CompletableFuture<Map<String, List<String>>> headers = new CompletableFuture<>();
        CompletableFuture<String> uri = new CompletableFuture<>();
        HttpServer server = refusingServer(headers, uri);
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/v1/realtime?model=gpt-realtime");
            RecordingListener listener = new RecordingListener();
            Throwable cause = failure(client.connect(url, "sk-test", LOOP, listener));
            assertInstanceOf(WebSocketClientHandshakeException.class, cause);
            assertTrue(cause.getMessage().contains("401"), cause.getMessage());
            Map<String, List<String>> h = headers.get(1, TimeUnit.SECONDS);
            assertEquals(List.of("Bearer sk-test"), h.get("Authorization"));
            assertEquals(List.of("websocket"), h.get("Upgrade"));
            assertNull(h.get("Openai-beta"));
            assertNull(h.get("Origin"));
            assertEquals("/v1/realtime?model=gpt-realtime", uri.get(1, TimeUnit.SECONDS));
            assertEquals(0, listener.closedCalls.get(), "onClosed only for connections that opened");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sendsNoAuthorizationWithoutAKey() throws Exception {
        CompletableFuture<Map<String, List<String>>> headers = new CompletableFuture<>();
        HttpServer server = refusingServer(headers, new CompletableFuture<>());
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/v1/realtime");
            failure(client.connect(url, null, LOOP, new RecordingListener()));
            assertNull(headers.get(1, TimeUnit.SECONDS).get("Authorization"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void failsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable cause = failure(client.connect(URI.create("ws://127.0.0.1:" + port + "/v1/realtime"), null, LOOP,
                new RecordingListener()));
        assertInstanceOf(ConnectException.class, cause);
    }

    @Test
    void timesOutWhenTheServerNeverAnswersTheUpgrade() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            Throwable cause = failure(client.connect(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/x"),
                    null, LOOP, new RecordingListener()));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertInstanceOf(TimeoutException.class, cause);
            assertTrue(ms >= 450 && ms < 3000, "timed out after " + ms + " ms");
        }
    }

    @Test
    void wssFailsTheTlsHandshakeAgainstAPlainServer() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[512]);
                } catch (IOException ignored) {
                    // the client hung up first
                }
            });
            server.start();
            URI url = URI.create("wss://127.0.0.1:" + plain.getLocalPort() + "/v1/realtime");
            // not the 500 ms client: the handshake fails at once, but setting TLS up may take longer on a busy box
            RealtimeClient patient = new RealtimeClient(RealtimeClient.defaultSslContext(), 5000);
            Throwable cause = failure(patient.connect(url, "sk-test", LOOP, new RecordingListener()));
            assertTrue(cause instanceof NotSslRecordException || cause instanceof SSLException, cause.toString());
            server.join(2000);
        }
    }

    @Test
    void rejectsUrlsThatAreNotWebSockets() {
        Throwable cause = failure(client.connect(URI.create("https://api.openai.com/v1/realtime"), null, LOOP,
                new RecordingListener()));
        assertInstanceOf(IllegalArgumentException.class, cause);
    }

    @Test
    void logsUrlsWithQuerySecretsMasked() {
        assertEquals("wss://api.openai.com/v1/realtime?model=gpt-realtime&api_key=***&flag",
                RealtimeClient.Target.redact(URI.create(
                        "wss://user:pw@api.openai.com/v1/realtime?model=gpt-realtime&api_key=sk-secret&flag#frag")));
        RealtimeClient.Target t = RealtimeClient.Target.of(URI.create("wss://api.openai.com/v1/realtime"));
        assertTrue(t.tls());
        assertEquals(443, t.port());
        assertEquals(8080, RealtimeClient.Target.of(URI.create("ws://[::1]:8080/")).port());
        assertEquals("::1", RealtimeClient.Target.of(URI.create("ws://[::1]:8080/")).host());
        assertEquals(80, RealtimeClient.Target.of(URI.create("ws://localhost/")).port());
    }
}
