package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How a Realtime session ends, seen through the real RealtimeClient against the demo agent: the server's close code
 * and reason reach {@link RealtimeListener#onClosed}, -1 when the TCP connection just goes (protocol doc §1, §5.5).
 */
class SessionEndTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private static final long WAIT_MS = 5000;
    private static final String EXPIRED = "Your session hit the maximum duration of 60 minutes.";
    private final RealtimeClient client = new RealtimeClient(RealtimeClient.defaultSslContext(), 2000);

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private RealtimeConnection connect(DemoAgent agent, RecordingListener listener) throws Exception {
        return client.connect(agent.url(), null, LOOP, listener).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void sessionExpiredThenClose1001ReachTheListenerWithTheServersReason() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().expireAfterMs(1, 300))) {
            RecordingListener l = new RecordingListener();
            long before = System.currentTimeMillis();
            RealtimeConnection c = connect(agent, l);
            long after = System.currentTimeMillis();
            ServerEvent.SessionCreated created = l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            assertEquals(agent.connection(1).sessionId(), created.sessionId());
            assertTrue(created.expiresAt() >= (before + 300 + 999) / 1000
                    && created.expiresAt() <= (after + 300 + 999) / 1000, "expires_at " + created.expiresAt());

            assertEquals(new RecordingListener.Closed(1001, EXPIRED), l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(List.of(new ServerEvent.SessionCreated(created.sessionId(), created.expiresAt()),
                    new ServerEvent.ErrorEvent("invalid_request_error", "session_expired", EXPIRED, null)),
                    l.events(), "the error comes first, then the close");
            assertFalse(c.isOpen());
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_SENT, 1001, EXPIRED),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(1, l.closedCalls.get());
        }
    }

    @Test
    void closeCodesAndReasonsAreReportedAsTheServerSentThem() throws Exception {
        int[] codes = {1000, 1011, 3000, 4000};
        DemoScript script = DemoScript.defaults();
        for (int i = 0; i < codes.length; i++) {
            script = script.closeAfterMs(i + 1, 50, codes[i]);
        }
        try (DemoAgent agent = DemoAgent.start(script)) {
            for (int code : codes) {
                RecordingListener l = new RecordingListener();
                RealtimeConnection c = connect(agent, l);
                assertEquals(new RecordingListener.Closed(code, "scripted close after 50 ms"),
                        l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
                assertFalse(c.isOpen());
            }
        }
    }

    @Test
    void aTcpConnectionDroppedWithoutACloseFrameIsReportedAsMinusOne() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().dropAfterMs(1, 200))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            assertEquals(new RecordingListener.Closed(-1, "connection lost"),
                    l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertFalse(c.isOpen());
            assertEquals(DemoConnection.How.DROPPED,
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS).how());
        }
    }

    @Test
    void aDropWhileAudioIsStreamingIsAlsoMinusOne() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().dropAfterMs(1, 300))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, l);
            short[] frame = new short[480];
            io.netty.util.concurrent.ScheduledFuture<?> streaming = LOOP.scheduleAtFixedRate(
                    () -> c.appendAudio(frame, 0, frame.length), 0, 20, TimeUnit.MILLISECONDS);
            try {
                RecordingListener.Closed closed = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(-1, closed.status(), "no close frame: " + closed);
            } finally {
                streaming.cancel(false);
            }
            assertTrue(agent.connection(1).inputSamples() > 0);
            assertEquals(1, l.closedCalls.get());
        }
    }

    @Test
    void aRefusedUpgradeFailsTheConnectAndNeverReachesOnClosed() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().refuseConnectionsFrom(1))) {
            RecordingListener l = new RecordingListener();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(agent.url(), null, LOOP, l).get(WAIT_MS, TimeUnit.MILLISECONDS));
            WebSocketClientHandshakeException refused =
                    assertInstanceOf(WebSocketClientHandshakeException.class, e.getCause());
            assertEquals(503, refused.response().status().code());
            assertEquals(DemoConnection.How.REFUSED,
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS).how());
            assertEquals(0, l.closedCalls.get());
        }
    }
}
