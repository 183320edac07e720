package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import gateway.testkit.TestTls;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's client over {@code wss://} to the demo agent serving the test-only certificate of 127.0.0.1, trusted
 * through a CA file as {@code realtime.ca-file} configures it ({@link RealtimeClient#trusting}); verification stays
 * on, so the JDK's own trust store and a wrong host name are refused.
 */
class RealtimeOverTlsTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private static final long WAIT_MS = 5000;
    private static SslContext serverTls;

    @TempDir
    Path dir;

    @BeforeAll
    static void serverContext() throws Exception {
        serverTls = SslContextBuilder.forServer(TestTls.serverKeyManagers()).build();
    }

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aSessionOverWssTrustingTheCaFileCarriesAudioSampleForSample() throws Exception {
        try (DemoAgent agent = DemoAgent.startTls(DemoScript.defaults(), serverTls)) {
            URI url = agent.url();
            assertEquals("wss", url.getScheme());
            assertEquals(TestTls.SERVER_ADDRESS, url.getHost());
            RealtimeClient client = RealtimeClient.trusting(TestTls.caCertificate(dir));
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = client.connect(url, null, LOOP, l).get(WAIT_MS, TimeUnit.MILLISECONDS);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            c.send(new ClientEvent.SessionUpdate(new SessionSettings("Be brief.", "marin", "gpt-4o-mini-transcribe")));
            l.await(ServerEvent.SessionUpdated.class, WAIT_MS);
            short[] tone = Signals.tone(600, 300, -10);
            short[] sent = Signals.concat(Signals.silence(300), tone, Signals.silence(800));
            LOOP.submit(() -> {
                for (int at = 0; at < sent.length; at += 480) {
                    c.appendAudio(sent, at, Math.min(480, sent.length - at));
                }
            }).get(WAIT_MS, TimeUnit.MILLISECONDS);
            ServerEvent.ResponseCreated reply = l.await(ServerEvent.ResponseCreated.class, WAIT_MS);
            l.await(ServerEvent.ResponseDone.class, WAIT_MS);
            assertArrayEquals(tone, l.audio(reply.responseId()), "the echo came back through TLS unchanged");
            assertEquals(List.of(), agent.connection(1).refusals());
            c.close();
            assertEquals(new RecordingListener.Closed(1000, ""), l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void withoutTheCaFileTheAgentsCertificateIsNotTrusted() throws Exception {
        try (DemoAgent agent = DemoAgent.startTls(DemoScript.defaults(), serverTls)) {
            Throwable cause = failure(RealtimeClient.trusting(null), agent.url());
            assertInstanceOfCause(SSLHandshakeException.class, cause);
            assertTrue(cause.getMessage().contains("PKIX path building failed"), cause.getMessage());
            assertEquals(0, agent.connections(), "no upgrade without a trusted handshake");
        }
    }

    @Test
    void theHostNameIsVerifiedAgainstTheCertificate() throws Exception {
        try (DemoAgent agent = DemoAgent.startTls(DemoScript.defaults(), serverTls)) {
            URI byName = URI.create(agent.url().toString().replace("127.0.0.1", "localhost"));
            Throwable cause = failure(RealtimeClient.trusting(TestTls.caCertificate(dir)), byName);
            assertInstanceOfCause(SSLHandshakeException.class, cause);
            assertInstanceOfCause(CertificateException.class, cause.getCause());
            assertTrue(cause.getMessage().contains("localhost"), cause.getMessage());
            assertEquals(0, agent.connections());
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsRefusedWhenTheClientIsMade() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n", StandardCharsets.US_ASCII);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RealtimeClient.trusting(notPem));
        assertTrue(e.getMessage().startsWith("cannot trust the CA certificates of " + notPem), e.getMessage());
    }

    private static Throwable failure(RealtimeClient client, URI url) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(url, null, LOOP, new RecordingListener()).get(WAIT_MS, TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    /** {@code cause} or one of its causes is a {@code type}. */
    private static void assertInstanceOfCause(Class<? extends Throwable> type, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + cause, cause);
    }
}
