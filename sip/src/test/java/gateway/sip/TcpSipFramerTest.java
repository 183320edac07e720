package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpSipFramerTest {

    private static final String MESSAGE = SipTestMessages.options("z9hG4bK-tcp-1");
    private static final String WITH_BODY = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nhello";

    private static void write(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static RawSipMessage read(EmbeddedChannel channel) {
        return channel.readInbound();
    }

    @Test
    void splitMessageIsJoined() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
        write(channel, WITH_BODY.substring(0, 10));
        assertNull(read(channel));
        write(channel, WITH_BODY.substring(10, WITH_BODY.length() - 2));
        assertNull(read(channel), "body incomplete");
        write(channel, WITH_BODY.substring(WITH_BODY.length() - 2));
        RawSipMessage message = read(channel);
        assertEquals(WITH_BODY, new String(message.data(), StandardCharsets.UTF_8));
        assertNull(message.framingError());
        assertFalse(channel.finish());
    }

    @Test
    void mergedMessagesAreSplitAndKeepAlivesSkipped() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
        write(channel, "\r\n\r\n" + WITH_BODY + MESSAGE + WITH_BODY.substring(0, 7));
        assertEquals(WITH_BODY, new String(read(channel).data(), StandardCharsets.UTF_8));
        assertEquals(MESSAGE, new String(read(channel).data(), StandardCharsets.UTF_8));
        assertNull(read(channel));
        write(channel, WITH_BODY.substring(7));
        assertEquals(WITH_BODY, new String(read(channel).data(), StandardCharsets.UTF_8));
        assertFalse(channel.finish());
    }

    @Test
    void oversizeHeaderIsAFramingError() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
        String huge = "OPTIONS sip:a@b SIP/2.0\r\nX-Pad: " + "a".repeat(TcpSipFramer.MAX_HEADER_BYTES) + "\r\n\r\n";
        write(channel, huge);
        RawSipMessage message = read(channel);
        assertEquals(new RawSipMessage.FramingError(513, "Message Too Large"), message.framingError());
        assertEquals(TcpSipFramer.MAX_HEADER_BYTES, message.data().length);
        write(channel, MESSAGE);
        assertNull(read(channel), "nothing after a framing error");
        assertFalse(channel.finish());
    }

    /** A framer with a 10 s message timeout on a channel whose clock only the test moves. */
    private static EmbeddedChannel timed(boolean firstMessageDue, List<SipPeer> timedOut) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new TcpSipFramer(Transport.TCP, TimeUnit.SECONDS.toNanos(10), firstMessageDue,
                timedOut::add));
        return channel;
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheMessageTimeout() {
        List<SipPeer> timedOut = new ArrayList<>();
        EmbeddedChannel channel = timed(true, timedOut);
        channel.advanceTimeBy(9_999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "open until the timeout");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen(), "closed at the timeout");
        assertEquals(1, timedOut.size());
        assertFalse(channel.finish());
    }

    @Test
    void aMessageDribbledByteByByteIsCutOffAtTheTimeoutOfItsFirstByte() {
        List<SipPeer> timedOut = new ArrayList<>();
        EmbeddedChannel channel = timed(false, timedOut);
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "no first message due: an outgoing connection waits");
        for (int i = 0; i < 10; i++) {
            write(channel, MESSAGE.substring(i, i + 1));
            channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            assertTrue(channel.isOpen(), "byte " + i + " within the timeout");
        }
        channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen(), "a byte each second does not keep a message alive past 10 s");
        assertEquals(1, timedOut.size());
        assertNull(read(channel));
        assertFalse(channel.finish());
    }

    @Test
    void eachWholeMessageStopsItsDeadlineAndKeepAlivesStartNone() {
        List<SipPeer> timedOut = new ArrayList<>();
        EmbeddedChannel channel = timed(true, timedOut);
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        write(channel, MESSAGE);
        assertEquals(MESSAGE, new String(read(channel).data(), StandardCharsets.UTF_8));
        write(channel, "\r\n\r\n");
        write(channel, WITH_BODY.substring(0, 20));
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        write(channel, WITH_BODY.substring(20));
        assertEquals(WITH_BODY, new String(read(channel).data(), StandardCharsets.UTF_8));
        write(channel, "\r\n");
        channel.advanceTimeBy(600, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "between messages only the idle timeout applies");
        assertEquals(List.of(), timedOut);
        assertFalse(channel.finish());
    }

    @Test
    void aBodyOverTheCapIsTooLarge() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
        write(channel, "INVITE sip:a@b SIP/2.0\r\nContent-Length: " + (TcpSipFramer.MAX_BODY_BYTES + 1) + "\r\n\r\n");
        assertEquals(new RawSipMessage.FramingError(513, "Message Too Large"), read(channel).framingError());
        assertFalse(channel.finish());
    }

    @Test
    void badOrMissingContentLength() {
        for (String[] c : new String[][] {
                {"Content-Length: -5", "Bad Content-Length"},
                {"Content-Length: abc", "Bad Content-Length"},
                {"Content-Length: 99999999", "Message Too Large"},
                {"Content-Length: 3\r\nl: 4", "Bad Content-Length"},
                {"X-None: 1", "Missing Content-Length"}}) {
            EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
            write(channel, "OPTIONS sip:a@b SIP/2.0\r\n" + c[0] + "\r\n\r\nabcd");
            RawSipMessage message = read(channel);
            assertEquals(c[1], message.framingError().reason(), c[0]);
            assertFalse(channel.finish());
        }
    }

    @Test
    void tcpPipelineAnswers400AndCloses() {
        EmbeddedChannel channel = new EmbeddedChannel();
        SipCore core = new SipCore(new SipServerSettings("127.0.0.1", 5060, null, "t"), call -> { },
                new gateway.time.ManualScheduler(), channel.eventLoop(), () -> 5060, TcpConnector.NONE);
        SipPipelines.tcp(channel.pipeline(), new AdmissionHandler(core.admission(), core), new SipMessageParser(),
                new SipDispatcher(core), false);
        write(channel, MESSAGE);
        io.netty.buffer.ByteBuf ok = channel.readOutbound();
        assertEquals("SIP/2.0 200 OK", ok.toString(StandardCharsets.UTF_8).split("\r\n")[0]);
        ok.release();
        write(channel, MESSAGE.replace("Content-Length: 0", "Content-Length: x"));
        io.netty.buffer.ByteBuf bad = channel.readOutbound();
        String text = bad.toString(StandardCharsets.UTF_8);
        bad.release();
        assertEquals("SIP/2.0 400 Bad Content-Length", text.split("\r\n")[0]);
        assertEquals("1 OPTIONS", UdpHarness.header(text, "CSeq"));
        assertFalse(channel.isOpen(), "connection closed after the 400");
        assertFalse(channel.finish());
    }

    @Test
    void tcpPipelineAnswersOversizeHeaders513AndCloses() {
        EmbeddedChannel channel = new EmbeddedChannel();
        SipCore core = new SipCore(new SipServerSettings("127.0.0.1", 5060, null, "t"), call -> { },
                new gateway.time.ManualScheduler(), channel.eventLoop(), () -> 5060, TcpConnector.NONE);
        SipPipelines.tcp(channel.pipeline(), new AdmissionHandler(core.admission(), core), new SipMessageParser(),
                new SipDispatcher(core), false);
        String headers = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 2);
        write(channel, headers + "X-Pad: " + "a".repeat(TcpSipFramer.MAX_HEADER_BYTES));
        io.netty.buffer.ByteBuf tooLarge = channel.readOutbound();
        String text = tooLarge.toString(StandardCharsets.UTF_8);
        tooLarge.release();
        assertEquals("SIP/2.0 513 Message Too Large", text.split("\r\n")[0]);
        assertEquals("1 OPTIONS", UdpHarness.header(text, "CSeq"));
        assertFalse(channel.isOpen(), "connection closed after the 513");
        assertFalse(channel.finish());
    }
}
