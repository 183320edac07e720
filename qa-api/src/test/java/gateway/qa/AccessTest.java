package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallLibrary;
import gateway.library.LocalCallStore;
import gateway.testkit.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets in: the bearer token when one is set, loopback clients only when none is. */
class AccessTest {

    private static final String TOKEN = "qa-Token_0123456789-abcdef";

    @TempDir
    Path base;

    @Test
    void withATokenEveryApiRequestMustCarryIt() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, TOKEN); LogCapture log = LogCapture.of("")) {
            HttpResponse<byte[]> none = plain(api, "/api/calls");
            assertError(none, 401, "unauthorized");
            assertEquals("Bearer realm=\"gateway\"", header(none, "www-authenticate"));
            HttpResponse<byte[]> wrong = plain(api, "/api/calls", "Authorization", "Bearer " + TOKEN + "x");
            assertError(wrong, 401, "unauthorized");
            assertEquals("Bearer realm=\"gateway\", error=\"invalid_token\"", header(wrong, "www-authenticate"));
            assertError(plain(api, "/api/calls", "Authorization", "Basic " + TOKEN), 401, "unauthorized");
            assertError(plain(api, "/api/calls/" + ApiFixture.FIRST + "/audio.wav", "Authorization",
                    "Bearer " + TOKEN.substring(1)), 401, "unauthorized");
            assertEquals(200, plain(api, "/api/calls", "Authorization", "bearer " + TOKEN).statusCode(),
                    "the scheme is case-insensitive (RFC 9110 §11.1)");
            assertEquals(200, api.get("/api/calls/" + ApiFixture.FIRST + "/audio.wav").statusCode());

            assertEquals(200, plain(api, "/health").statusCode(), "health needs no token");
            assertError(plain(api, "/metrics"), 401, "unauthorized");
            assertEquals(200, api.get("/metrics").statusCode());

            assertEquals(204, api.send("DELETE", "/api/calls/" + ApiFixture.SECOND).statusCode());
            List<String> messages = log.lines().stream().map(LogCapture.Line::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.contains("audit: DELETE call " + ApiFixture.SECOND)
                    && m.endsWith("(bearer token: yes): deleted")), messages.toString());
            assertFalse(messages.stream().anyMatch(m -> m.contains(TOKEN)), "the token is never logged");
        }
    }

    @Test
    void thePolicyNeverShowsItsToken() {
        AccessPolicy policy = AccessPolicy.of(TOKEN);
        assertEquals("AccessPolicy[token=set]", policy.toString());
        assertEquals("/api and /metrics require Authorization: Bearer (tokens: api-token admin)", policy.describe());
        assertEquals("no http.api-token or http.tokens: /api and /metrics serve loopback clients only",
                AccessPolicy.of("").describe());
    }

    @Test
    void withoutATokenOnlyThisMachineIsServed(@TempDir Path recordings) throws Exception {
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(recordings))) {
            Executor inline = Runnable::run;
            AuditLog audit = AuditLog.off(InstantSource.system());
            ShareLinks shares = ShareLinks.open(recordings.resolve(".shares"), "", InstantSource.system());
            RequestRouter router = new RequestRouter(new AdminRoutes(() -> "", () -> ApiFixture.METRICS),
                    new CallsApi(library, LiveCalls.NONE, new ActiveCallsApi(ActiveCalls.NONE,
                            InstantSource.system(), new ListenTickets(System::nanoTime)), audit, shares, inline),
                    new WebRoutes(WebAssets.load()), audit);
            library.built().get();
            for (String client : List.of("192.0.2.7", "127.0.0.1", "::1")) {
                EmbeddedChannel ch = new RemoteChannel(new InetSocketAddress(client, 40_000));
                ch.pipeline().addLast(new ExchangeSequencer(), new AccessGuard(AccessPolicy.of(""),
                        new ListenTickets(System::nanoTime), shares), router);
                boolean loopback = !client.equals("192.0.2.7");
                for (String path : List.of("/api/calls", "/api/calls/active", "/metrics", "/health", "/",
                        "/static/app.js")) {
                    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
                    FullHttpResponse r = ch.readOutbound();
                    String body = r.content().toString(StandardCharsets.UTF_8);
                    if (loopback || path.equals("/health")) {
                        assertEquals(200, r.status().code(), client + " " + path + ": " + body);
                    } else {
                        assertEquals(403, r.status().code(), client + " " + path);
                        assertEquals("{\"error\":{\"code\":\"forbidden\",\"message\":\"no API token is configured,"
                                + " so only clients on this machine are served\"}}\n", body);
                    }
                    r.release();
                }
                DefaultFullHttpRequest say = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                        "/api/calls/20261201T090000Z-0000live/hangup");
                ch.writeInbound(say);
                FullHttpResponse r = ch.readOutbound();
                assertEquals(loopback ? 404 : 403, r.status().code(), client + " hangup");
                r.release();
                assertFalse(ch.finish());
            }
        }
    }

    /** An embedded channel that reports a chosen client address. */
    private static final class RemoteChannel extends EmbeddedChannel {
        private final SocketAddress remote;

        RemoteChannel(SocketAddress remote) throws Exception {
            super(false, false);
            this.remote = remote;
            register();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    private static HttpResponse<byte[]> plain(ApiFixture api, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
