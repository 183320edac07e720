package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoFault;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The real RealtimeClient against a faulty server (the demo agent scripted to misbehave, over real sockets): a hung
 * server is dropped after the idle timeout, a live but quiet one is kept by its pongs, a malformed event is counted
 * and skipped, an oversized one ends the socket before it is buffered, and refused or held upgrades fail the connect.
 */
class FaultyServerTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private static final long WAIT_MS = 10_000;
    /** Short, so the idle tests take seconds; long enough that a loaded machine's pong is never that late. */
    private static final int IDLE_TIMEOUT_MS = 2000;
    private static final int TEN_MB = 10_000_000;
    private final RealtimeClient client = new RealtimeClient(RealtimeClient.defaultSslContext(), 5000);
    private final RealtimeClient watchful = new RealtimeClient(RealtimeClient.defaultSslContext(), 5000,
            IDLE_TIMEOUT_MS);

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** An agent that never pings of its own accord, so only the client's pings keep a quiet session alive. */
    private static DemoScript quiet() {
        return DemoScript.defaults().withPingIntervalMs(0);
    }

    private RealtimeConnection connect(DemoAgent agent, RecordingListener listener) throws Exception {
        return connect(client, agent, listener);
    }

    private static RealtimeConnection connect(RealtimeClient c, DemoAgent agent, RecordingListener listener)
            throws Exception {
        return c.connect(agent.url(), null, LOOP, listener).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aHungServerIsDroppedOnceNothingHasArrivedForTheIdleTimeout() throws Exception {
        try (DemoAgent agent = DemoAgent.start(quiet().silentAfterMs(1, 100))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(watchful, agent, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            long hungAt = System.nanoTime();
            RecordingListener.Closed closed = l.closed.get(WAIT_MS + IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
            assertEquals(new RecordingListener.Closed(-1, "nothing from the server for " + IDLE_TIMEOUT_MS
                    + " ms, not even a pong"), closed);
            // The last frame came before the hang (at most 100 ms after session.created): dropped a whole idle
            // timeout after it, never before.
            assertTrue(afterMs >= IDLE_TIMEOUT_MS - 100, "dropped " + afterMs + " ms after session.created");
            assertFalse(c.isOpen());
            assertEquals(1, l.closedCalls.get());
        }
    }

    @Test
    void aQuietServerThatAnswersPingsKeepsItsSession() throws Exception {
        try (DemoAgent agent = DemoAgent.start(quiet())) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(watchful, agent, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            // Three idle timeouts with no event at all: each half of one brings a ping and the server's pong.
            assertThrows(TimeoutException.class, () -> l.closed.get(3L * IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS),
                    "a server that answers pings is alive");
            assertTrue(c.isOpen());
            assertFalse(agent.connection(1).ended().isDone());
        }
    }

    @Test
    void aMalformedEventIsCountedAndSkippedAndTheSessionGoesOn() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            DemoConnection server = agent.connection(1);
            server.strike(new DemoFault.Send(0, "{\"type\":\"response.output_audio.delta\",\"delta\":"));
            server.strike(new DemoFault.Send(0, "{\"type\":\"input_audio_buffer.speech_started\","
                    + "\"audio_start_ms\":60}"));
            assertEquals(new ServerEvent.SpeechStarted(60, null), l.await(ServerEvent.SpeechStarted.class, WAIT_MS));
            assertEquals(1, client.malformedEvents());
            assertTrue(c.isOpen(), "one bad event never ends a session");
            assertEquals(0, l.closedCalls.get());
        }
    }

    @Test
    void anEventOverTheFrameLimitEndsTheSocketUnbuffered() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().oversizedAfterMs(1, 100, TEN_MB))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            RecordingListener.Closed closed = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals(-1, closed.status(), "lost, as a drop: " + closed);
            assertTrue(closed.reason().contains("Max frame length of " + RealtimeClient.MAX_FRAME_BYTES),
                    closed.reason());
            assertFalse(c.isOpen());
            assertEquals(List.of(ServerEvent.SessionCreated.class),
                    l.events().stream().map(Object::getClass).toList(), "the oversized event never arrived");
            assertEquals(0, client.malformedEvents(), "refused by the frame limit, not parsed");
            DemoConnection.Ending ending = agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertTrue(ending.how() == DemoConnection.How.LOST || ending.how() == DemoConnection.How.CLOSE_RECEIVED
                    && ending.code() == 1009, "the frame limit's 1009 or a drop, never 1000: " + ending);
        }
    }

    @Test
    void anUpgradeAnsweredWith401FailsTheConnect() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().refuseConnection(1, 401))) {
            RecordingListener l = new RecordingListener();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(agent.url(), null, LOOP, l).get(WAIT_MS, TimeUnit.MILLISECONDS));
            WebSocketClientHandshakeException refused =
                    assertInstanceOf(WebSocketClientHandshakeException.class, e.getCause());
            assertEquals(401, refused.response().status().code());
            assertEquals(new DemoConnection.Ending(DemoConnection.How.REFUSED, 401, "Unauthorized"),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(0, l.closedCalls.get());
        }
    }

    @Test
    void aHeldUpgradeFailsTheConnectAtItsTimeout() throws Exception {
        RealtimeClient impatient = new RealtimeClient(RealtimeClient.defaultSslContext(), 300);
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().holdConnection(1))) {
            RecordingListener l = new RecordingListener();
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> impatient.connect(agent.url(), null, LOOP, l).get(WAIT_MS, TimeUnit.MILLISECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getCause().getMessage().contains("300 ms") || e.getCause().getMessage().contains("timed out"),
                    e.getCause().toString());
            assertTrue(tookMs >= 300, "not before the timeout: " + tookMs + " ms");
            Await.until(() -> agent.accepted() == 1, Duration.ofSeconds(1), () -> "the agent took the TCP connection");
            assertEquals(0, l.closedCalls.get());
        }
    }
}
