package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
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
        assertEquals("Message headers too large", message.framingError());
        assertEquals(TcpSipFramer.MAX_HEADER_BYTES, message.data().length);
        write(channel, MESSAGE);
        assertNull(read(channel), "nothing after a framing error");
        assertFalse(channel.finish());
    }

    @Test
    void badOrMissingContentLength() {
        for (String[] c : new String[][] {
                {"Content-Length: -5", "Bad Content-Length"},
                {"Content-Length: abc", "Bad Content-Length"},
                {"Content-Length: 99999999", "Bad Content-Length"},
                {"Content-Length: 3\r\nl: 4", "Bad Content-Length"},
                {"X-None: 1", "Missing Content-Length"}}) {
            EmbeddedChannel channel = new EmbeddedChannel(new TcpSipFramer());
            write(channel, "OPTIONS sip:a@b SIP/2.0\r\n" + c[0] + "\r\n\r\nabcd");
            RawSipMessage message = read(channel);
            assertEquals(c[1], message.framingError(), c[0]);
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
}
