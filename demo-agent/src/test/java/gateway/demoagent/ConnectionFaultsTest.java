package gateway.demoagent;

import static gateway.demoagent.WireClient.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Faults chosen by connection number: close codes, dropped TCP, refused upgrades; and how each connection ended. */
class ConnectionFaultsTest {

    /** RFC 6455 §7.4.1: never sent; reported by a client whose connection closed without a close frame. */
    private static final int ABNORMAL_CLOSURE = 1006;

    @Test
    void closeAfterMsSendsThatCodeToThatConnectionOnly() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().closeAfterMs(2, 200, 4000))) {
            WireClient first = WireClient.open(agent.url());
            first.next("session.created");
            long before = System.currentTimeMillis();
            WireClient second = WireClient.open(agent.url());
            second.next("session.created");
            assertEquals(new WireClient.Closed(4000, "scripted close after 200 ms"), second.nextClose());
            assertTrue(System.currentTimeMillis() - before >= 200);
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_SENT, 4000, "scripted close after 200 ms"),
                    agent.connection(2).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
            first.send("{\"type\":\"input_audio_buffer.clear\"}");
            first.next("input_audio_buffer.cleared");
            assertFalse(agent.connection(1).ended().isDone());
        }
    }

    @Test
    void dropAfterMsClosesTheTcpConnectionWithoutACloseFrame() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().dropAfterMs(1, 200))) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            assertEquals(new WireClient.Closed(ABNORMAL_CLOSURE, ""), client.nextArrival(),
                    "what the JDK client reports when the connection ends without a close frame");
            assertEquals(new DemoConnection.Ending(DemoConnection.How.DROPPED, -1, "dropped after 200 ms"),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aStruckFaultEndsThatConnectionWhenTheTestSays() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient first = WireClient.open(agent.url());
            first.next("session.created");
            WireClient second = WireClient.open(agent.url());
            second.next("session.created");
            agent.connection(1).strike(new DemoFault.Expire(0));
            assertEquals("session_expired", first.next("error").path("error").path("code").asText());
            assertEquals(new WireClient.Closed(1001, ScriptedFaults.SESSION_EXPIRED_MESSAGE), first.nextClose());
            agent.connection(2).strike(new DemoFault.Drop(0));
            assertEquals(new WireClient.Closed(ABNORMAL_CLOSURE, ""), second.nextArrival());
            assertEquals(DemoConnection.How.DROPPED,
                    agent.connection(2).ended().get(WAIT_MS, TimeUnit.MILLISECONDS).how());
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_SENT, 1001,
                    ScriptedFaults.SESSION_EXPIRED_MESSAGE),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void upgradesFromTheRefusedConnectionOnGetHttp503() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().refuseConnectionsFrom(2))) {
            WireClient first = WireClient.open(agent.url());
            first.next("session.created");
            for (int n = 2; n <= 3; n++) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> WireClient.open(agent.url()));
                WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class,
                        e.getCause());
                assertEquals(503, refused.getResponse().statusCode());
                assertEquals(new DemoConnection.Ending(DemoConnection.How.REFUSED, 503, "Service Unavailable"),
                        agent.connection(n).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
                assertEquals(null, agent.connection(n).sessionId());
            }
            assertEquals(1, agent.connections(), "upgrades");
            assertEquals(3, agent.accepted());
            assertFalse(agent.connection(1).ended().isDone());
        }
    }

    @Test
    void aCloseFromTheClientIsEchoedAndRecordedWithItsCode() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.socket().sendClose(1000, "bye").get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals(new WireClient.Closed(1000, ""), client.nextClose());
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_RECEIVED, 1000, "bye"),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aClientThatNeverAnswersTheCloseIsDisconnectedAfterTheWait() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().closeAfterMs(1, 0, 1011));
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), agent.url().getPort())) {
            raw.setSoTimeout((int) WAIT_MS);
            raw.getOutputStream().write(("GET /v1/realtime?model=gpt-realtime HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            byte[] all = raw.getInputStream().readAllBytes();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101 "));
            byte[] reason = "scripted close after 0 ms".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer close = ByteBuffer.allocate(4 + reason.length).put((byte) 0x88)
                    .put((byte) (2 + reason.length)).putShort((short) 1011).put(reason);
            assertArrayEquals(close.array(), Arrays.copyOfRange(all, all.length - close.capacity(), all.length),
                    "the last frame is the close: FIN + opcode 8, length, 1011, reason (RFC 6455 §5.5.1)");
            assertTrue(ms >= AgentSocket.CLOSE_WAIT_MS, "TCP closed " + ms + " ms after the close frame");
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_SENT, 1011, "scripted close after 0 ms"),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aConnectionTheClientDropsEndsAsLost() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.socket().abort();
            assertEquals(new DemoConnection.Ending(DemoConnection.How.LOST, -1,
                    "connection closed without a close frame"),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void connectionsAreLookedUpByNumber() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            NoSuchElementException none = assertThrows(NoSuchElementException.class, () -> agent.connection(1));
            assertEquals("no connection 1: 0 accepted, the latest 1000 kept", none.getMessage());
            TimeoutException late = assertThrows(TimeoutException.class,
                    () -> agent.awaitConnection(1, Duration.ofMillis(50)));
            assertEquals("connection 1 not accepted within 50 ms (0 accepted)", late.getMessage());
            WireClient.open(agent.url()).next("session.created");
            assertEquals(1, agent.awaitConnection(1, Duration.ofMillis(WAIT_MS)).number());
        }
    }

    @Test
    void scriptsRejectFaultsThatCannotHappen() {
        DemoScript d = DemoScript.defaults();
        for (int code : new int[] {999, 1004, 1005, 1006, 1015, 2999, 5000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.closeAfterMs(1, 10, code));
            assertEquals("close code " + code + " cannot be sent in a close frame (RFC 6455 §7.4.1: 1000-1003,"
                    + " 1007-1014 or 3000-4999)", e.getMessage());
        }
        for (int code : new int[] {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999}) {
            assertEquals(new DemoFault.Close(10, code), d.closeAfterMs(1, 10, code).faultOf(1));
        }
        assertEquals("connection 1 already ends by Drop[afterMs=5]", assertThrows(IllegalArgumentException.class,
                () -> d.dropAfterMs(1, 5).expireAfterMs(1, 9)).getMessage());
        assertEquals("connection 3 has a fault but connections from 2 on are refused",
                assertThrows(IllegalArgumentException.class,
                        () -> d.closeAfterMs(3, 10, 1011).refuseConnectionsFrom(2)).getMessage());
        assertEquals("connections are numbered from 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.dropAfterMs(0, 5)).getMessage());
        assertEquals("connections are numbered from 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.refuseConnectionsFrom(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.expireAfterMs(1, -1));
        assertThrows(IllegalArgumentException.class, () -> d.withSessionSeconds(0));
        DemoScript s = d.expireAfterMs(1, 100).closeAfterMs(2, 200, 1011).dropAfterMs(3, 300).refuseConnectionsFrom(4);
        assertEquals(List.of(new DemoFault.Expire(100), new DemoFault.Close(200, 1011), new DemoFault.Drop(300)),
                List.of(s.faultOf(1), s.faultOf(2), s.faultOf(3)));
        assertEquals(List.of(false, true, true), List.of(s.refuses(3), s.refuses(4), s.refuses(40)));
        assertEquals(null, d.faultOf(1));
        assertFalse(d.refuses(1_000_000));
    }
}
