package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static ByteBuf wrap(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Unpooled.wrappedBuffer(b);
    }

    @Test
    void parsesAFullHeaderWithCsrcExtensionAndPadding() {
        ByteBuf buf = wrap(
                0x77, 0x77,                   // garbage before the packet: parsing starts at offset 2
                0xB1,                         // V=2 (10), P=1, X=1, CC=1
                0x88,                         // M=1, PT=8
                0xFF, 0xFE,                   // sequence 65534
                0x80, 0x00, 0x00, 0x01,       // timestamp 2147483649
                0xDE, 0xAD, 0xBE, 0xEF,       // SSRC 0xDEADBEEF
                0x01, 0x02, 0x03, 0x04,       // CSRC[0]
                0xBE, 0xDE, 0x00, 0x01,       // extension: profile 0xBEDE, length 1 word
                0xAA, 0xBB, 0xCC, 0xDD,       // extension data
                0xD5, 0xD4,                   // payload (2 bytes)
                0x00, 0x00, 0x03);            // padding, last byte = count 3
        int off = 2;
        int len = buf.readableBytes() - off;
        assertEquals(RtpPacket.Check.VALID, RtpPacket.check(buf, off, len));
        long head = RtpPacket.head(buf, off);
        assertEquals(2, RtpPacket.version(head));
        assertTrue(RtpPacket.padding(head));
        assertTrue(RtpPacket.extension(head));
        assertEquals(1, RtpPacket.csrcCount(head));
        assertTrue(RtpPacket.marker(head));
        assertEquals(8, RtpPacket.payloadType(head));
        assertEquals(65534, RtpPacket.sequence(head));
        assertEquals(2147483649L, RtpPacket.timestamp(buf, off));
        assertEquals(0xDEADBEEFL, RtpPacket.ssrc(buf, off));
        assertEquals(12 + 4 + 4 + 4, RtpPacket.headerLength(buf, off));
        assertEquals(off + 24, RtpPacket.payloadOffset(buf, off));
        assertEquals(2, RtpPacket.payloadLength(buf, off, len));
        assertEquals(0xD5, buf.getUnsignedByte(RtpPacket.payloadOffset(buf, off)));
        buf.release();
    }

    @Test
    void parsesAPlainHeader() {
        ByteBuf buf = wrap(
                0x80,                         // V=2, P=0, X=0, CC=0
                0x00,                         // M=0, PT=0 (PCMU)
                0x00, 0x01,                   // sequence 1
                0x00, 0x00, 0x00, 0xA0,       // timestamp 160
                0x00, 0x00, 0x00, 0x2A,       // SSRC 42
                0xFF, 0xFF, 0xFF);            // payload
        assertEquals(RtpPacket.Check.VALID, RtpPacket.check(buf, 0, 15));
        long head = RtpPacket.head(buf, 0);
        assertFalse(RtpPacket.marker(head));
        assertFalse(RtpPacket.padding(head));
        assertEquals(0, RtpPacket.payloadType(head));
        assertEquals(1, RtpPacket.sequence(head));
        assertEquals(160, RtpPacket.timestamp(buf, 0));
        assertEquals(42, RtpPacket.ssrc(buf, 0));
        assertEquals(12, RtpPacket.payloadOffset(buf, 0));
        assertEquals(3, RtpPacket.payloadLength(buf, 0, 15));
        buf.release();
    }

    @Test
    void headTakesEveryFieldOutOfTheFirstEightOctetsAsTheOctetsSay() {
        ByteBuf buf = Unpooled.buffer(12);
        int[] sequences = {0, 1, 0x7FFF, 0x8000, 0xFFFF};
        long[] timestamps = {0, 1, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL};
        for (int first = 0; first < 256; first++) {
            for (int second = 0; second < 256; second++) {
                int sequence = sequences[(first + second) % sequences.length];
                long timestamp = timestamps[(first * 7 + second) % timestamps.length];
                buf.clear().writeByte(first).writeByte(second).writeShort(sequence).writeInt((int) timestamp)
                        .writeInt(-1);
                long head = RtpPacket.head(buf, 0);
                assertEquals(first >>> 6, RtpPacket.version(head));
                assertEquals((first & 0x20) != 0, RtpPacket.padding(head));
                assertEquals((first & 0x10) != 0, RtpPacket.extension(head));
                assertEquals(first & 0x0F, RtpPacket.csrcCount(head));
                assertEquals((second & 0x80) != 0, RtpPacket.marker(head));
                assertEquals(second & 0x7F, RtpPacket.payloadType(head));
                assertEquals(sequence, RtpPacket.sequence(head));
                assertEquals(timestamp, RtpPacket.timestamp(head));
            }
        }
        buf.release();
    }

    @Test
    void namesTheReasonForInvalidPackets() {
        ByteBuf shortOne = wrap(0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0);          // 11 bytes
        assertEquals(RtpPacket.Check.TOO_SHORT, RtpPacket.check(shortOne, 0, 11));
        ByteBuf v1 = wrap(0x40, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0);              // V=1
        assertEquals(RtpPacket.Check.BAD_VERSION, RtpPacket.check(v1, 0, 12));
        ByteBuf csrc = wrap(0x82, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4); // CC=2, one CSRC present
        assertEquals(RtpPacket.Check.CSRC_OVERRUN, RtpPacket.check(csrc, 0, 16));
        ByteBuf ext = wrap(0x90, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0x00, 0x02, 1, 2, 3, 4);
        assertEquals(RtpPacket.Check.EXTENSION_OVERRUN, RtpPacket.check(ext, 0, 20));      // says 2 words, has 1
        ByteBuf pad0 = wrap(0xA0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x00); // P=1, count 0
        assertEquals(RtpPacket.Check.BAD_PADDING, RtpPacket.check(pad0, 0, 14));
        ByteBuf padBig = wrap(0xA0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x03); // count 3 > 2 after header
        assertEquals(RtpPacket.Check.BAD_PADDING, RtpPacket.check(padBig, 0, 14));
        for (ByteBuf b : new ByteBuf[] {shortOne, v1, csrc, ext, pad0, padBig}) {
            b.release();
        }
    }

    @Test
    void writesAHeaderIntoAPreallocatedBuffer() {
        ByteBuf out = Unpooled.buffer(64, 64);
        out.writeByte(0x55); // something already there: the header goes at the writer index
        RtpPacket.writeHeader(out, true, 0, 0x1_FFFF, 0x1_2345_6789L, 0xCAFEBABEL);
        assertArrayEquals(new byte[] {
                0x55,
                (byte) 0x80,                                   // V=2, P=0, X=0, CC=0
                (byte) 0x80,                                   // M=1, PT=0
                (byte) 0xFF, (byte) 0xFF,                      // sequence: low 16 bits of 0x1FFFF
                0x23, 0x45, 0x67, (byte) 0x89,                 // timestamp: low 32 bits
                (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}, // SSRC
                ByteBufUtil.getBytes(out));
        assertEquals(RtpPacket.Check.VALID, RtpPacket.check(out, 1, 12));
        assertEquals(0x2345_6789L, RtpPacket.timestamp(out, 1));
        out.release();
    }
}
