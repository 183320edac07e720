package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames written by {@link MaskedTextFrame}, read back by Netty's server-side decoder, which insists on masks. */
class MaskedTextFrameTest {

    private static String text(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + i * 7 % 26));
        }
        return b.toString();
    }

    private static ByteBuf frame(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = Unpooled.buffer(MaskedTextFrame.headerLength(bytes.length) + bytes.length);
        int key = MaskedTextFrame.writeHeader(buf, bytes.length);
        int start = buf.writerIndex();
        assertEquals(MaskedTextFrame.headerLength(bytes.length), start);
        buf.writeBytes(bytes);
        MaskedTextFrame.mask(buf, start, bytes.length, key);
        for (int i = 0; i < bytes.length; i++) { // RFC 6455 §5.3: octet i XOR key octet i mod 4
            assertEquals(bytes[i], (byte) (buf.getByte(start + i) ^ key >>> 24 - 8 * (i % 4)));
        }
        return buf;
    }

    @Test
    void everyLengthEncodingDecodesToTheSameTextOnAServer() {
        // 7-bit, 16-bit and 64-bit lengths, with remainders that are not a multiple of the 8-byte masking step.
        for (int length : new int[] {0, 1, 7, 125, 126, 1333, 65535, 65536, 70001}) {
            EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, 1 << 20));
            String payload = text(length);
            ByteBuf frame = frame(payload);
            assertEquals(0x81, frame.getUnsignedByte(0)); // FIN, text
            int lengthByte = frame.getUnsignedByte(1);
            assertEquals(0x80, lengthByte & 0x80);        // masked
            assertEquals(length <= 125 ? length : length <= 65535 ? 126 : 127, lengthByte & 0x7F);
            server.writeInbound(frame);
            TextWebSocketFrame decoded = server.readInbound();
            try {
                assertEquals(payload, decoded.text(), "length " + length);
            } finally {
                decoded.release();
            }
            assertFalse(server.finish());
        }
    }

    @Test
    void base64MaskedAsItIsWrittenMatchesForEveryStartOffset() {
        short[] pcm = new short[481];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i * 977 - 20_000);
        }
        ByteBuf plain = Unpooled.buffer();
        new Base64Pcm.Encoder().encode(pcm, 0, pcm.length, plain);
        String base64 = plain.toString(StandardCharsets.US_ASCII);
        plain.release();
        for (int headLength = 1; headLength <= 5; headLength++) { // every start offset mod 4
            String head = "{\"a\":\"".substring(0, headLength);
            String tail = "\"}";
            int payload = head.length() + Base64Pcm.encodedLength(pcm.length) + tail.length();
            ByteBuf buf = Unpooled.buffer();
            int key = MaskedTextFrame.writeHeader(buf, payload);
            int start = buf.writerIndex();
            buf.writeCharSequence(head, StandardCharsets.US_ASCII);
            MaskedTextFrame.mask(buf, start, head.length(), key);
            new Base64Pcm.Encoder().encode(pcm, 0, pcm.length, buf, MaskedTextFrame.keyAt(key, head.length()));
            int tailAt = buf.writerIndex();
            buf.writeCharSequence(tail, StandardCharsets.US_ASCII);
            MaskedTextFrame.mask(buf, tailAt, tail.length(), MaskedTextFrame.keyAt(key, tailAt - start));

            EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, 1 << 20));
            server.writeInbound(buf);
            TextWebSocketFrame decoded = server.readInbound();
            try {
                assertEquals(head + base64 + tail, decoded.text(), "head of " + headLength);
            } finally {
                decoded.release();
            }
            assertFalse(server.finish());
        }
    }
}
