package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RTCP read and written byte by byte (RFC 3550 §6.4-6.6), from annotated fixtures. */
class RtcpPacketTest {

    /** A caller's compound packet: SR with one report block about the gateway's stream, then SDES with its CNAME. */
    static final byte[] SENDER_REPORT_AND_SDES = bytes(
            // SR (§6.4.1): V=2 P=0 RC=1 | PT=200 | length 12 (13 words = 52 bytes)
            0x81, 0xC8, 0x00, 0x0C,
            // SSRC of sender
            0x0C, 0xA1, 0x1E, 0x55,
            // NTP timestamp, most significant word: seconds since 1900
            0xEC, 0x4F, 0x1A, 0x2B,
            // NTP timestamp, least significant word: half a second
            0x80, 0x00, 0x00, 0x00,
            // RTP timestamp of the same instant: 128000
            0x00, 0x01, 0xF4, 0x00,
            // sender's packet count: 250
            0x00, 0x00, 0x00, 0xFA,
            // sender's octet count: 40000
            0x00, 0x00, 0x9C, 0x40,
            // report block 1: SSRC_1, the gateway's stream
            0x5E, 0xED, 0x00, 0x01,
            // fraction lost 25/256 | cumulative number of packets lost: 7
            0x19, 0x00, 0x00, 0x07,
            // extended highest sequence number received: 1 cycle, sequence 0x0203
            0x00, 0x01, 0x02, 0x03,
            // interarrival jitter: 40 units (5 ms at 8 kHz)
            0x00, 0x00, 0x00, 0x28,
            // last SR (LSR): the middle 32 bits of our last SR's NTP timestamp
            0x1A, 0x2B, 0x80, 0x00,
            // delay since last SR (DLSR): 0x8000 / 65536 s = 0.5 s
            0x00, 0x00, 0x80, 0x00,
            // SDES (§6.5): V=2 P=0 SC=1 | PT=202 | length 4 (5 words = 20 bytes)
            0x81, 0xCA, 0x00, 0x04,
            // chunk 1: SSRC
            0x0C, 0xA1, 0x1E, 0x55,
            // CNAME=1 | length 9 | "linphone1"
            0x01, 0x09, 'l', 'i', 'n', 'p', 'h', 'o', 'n', 'e', '1',
            // end of the item list, which also pads the chunk to 32 bits
            0x00);

    /** An RR whose block has a negative cumulative loss (duplicates), then a BYE with padding, as the last packet. */
    static final byte[] RECEIVER_REPORT_AND_PADDED_BYE = bytes(
            // RR (§6.4.2): V=2 P=0 RC=1 | PT=201 | length 7 (8 words = 32 bytes)
            0x81, 0xC9, 0x00, 0x07,
            // SSRC of packet sender
            0x0C, 0xA1, 0x1E, 0x55,
            // report block 1: SSRC_1
            0x5E, 0xED, 0x00, 0x01,
            // fraction lost 0 | cumulative number of packets lost: −2, signed 24 bits
            0x00, 0xFF, 0xFF, 0xFE,
            // extended highest sequence number: 65535
            0x00, 0x00, 0xFF, 0xFF,
            // jitter 16 units
            0x00, 0x00, 0x00, 0x10,
            // LSR 0: no SR received yet
            0x00, 0x00, 0x00, 0x00,
            // DLSR 0
            0x00, 0x00, 0x00, 0x00,
            // BYE (§6.6): V=2 P=1 SC=1 | PT=203 | length 2 (3 words = 12 bytes, padding included)
            0xA1, 0xCB, 0x00, 0x02,
            // SSRC leaving
            0x0C, 0xA1, 0x1E, 0x55,
            // padding: three zero bytes and the count, 4
            0x00, 0x00, 0x00, 0x04);

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void readsASenderReportFieldByField() {
        ByteBuf buf = Unpooled.wrappedBuffer(SENDER_REPORT_AND_SDES);
        assertEquals(RtcpPacket.Check.VALID, RtcpPacket.check(buf, 0, buf.readableBytes()));
        assertEquals(RtcpPacket.SENDER_REPORT, RtcpPacket.packetType(buf, 0));
        assertEquals(1, RtcpPacket.count(buf, 0));
        assertEquals(52, RtcpPacket.length(buf, 0));
        assertEquals(0x0CA1_1E55L, RtcpPacket.ssrc(buf, 0));
        assertEquals(0xEC4F_1A2BL, RtcpPacket.ntpSeconds(buf, 0));
        assertEquals(0x8000_0000L, RtcpPacket.ntpFraction(buf, 0));
        assertEquals(0x1A2B_8000L, RtcpPacket.ntpMiddle(buf, 0));
        assertEquals(128_000, RtcpPacket.rtpTimestamp(buf, 0));
        assertEquals(250, RtcpPacket.senderPackets(buf, 0));
        assertEquals(40_000, RtcpPacket.senderOctets(buf, 0));
        assertEquals(1, RtcpPacket.reportBlocks(buf, 0));
        int block = RtcpPacket.reportBlock(buf, 0, 0);
        assertEquals(28, block);
        assertEquals(0x5EED_0001L, RtcpPacket.blockSsrc(buf, block));
        assertEquals(25, RtcpPacket.blockFractionLost(buf, block));
        assertEquals(7, RtcpPacket.blockCumulativeLost(buf, block));
        assertEquals(0x0001_0203L, RtcpPacket.blockHighestSequence(buf, block));
        assertEquals(40, RtcpPacket.blockJitter(buf, block));
        assertEquals(0x1A2B_8000L, RtcpPacket.blockLastSenderReport(buf, block));
        assertEquals(0x8000, RtcpPacket.blockDelaySinceLastSenderReport(buf, block));
        assertEquals(RtcpPacket.SOURCE_DESCRIPTION, RtcpPacket.packetType(buf, 52));
        assertEquals(20, RtcpPacket.length(buf, 52));
        assertEquals(0x0CA1_1E55L, RtcpPacket.ssrc(buf, 52));
    }

    @Test
    void readsAReceiverReportWithANegativeLossAndAPaddedLastPacket() {
        ByteBuf buf = Unpooled.wrappedBuffer(RECEIVER_REPORT_AND_PADDED_BYE);
        assertEquals(RtcpPacket.Check.VALID, RtcpPacket.check(buf, 0, buf.readableBytes()));
        assertEquals(RtcpPacket.RECEIVER_REPORT, RtcpPacket.packetType(buf, 0));
        int block = RtcpPacket.reportBlock(buf, 0, 0);
        assertEquals(8, block);
        assertEquals(-2, RtcpPacket.blockCumulativeLost(buf, block));
        assertEquals(65_535, RtcpPacket.blockHighestSequence(buf, block));
        assertEquals(16, RtcpPacket.blockJitter(buf, block));
        assertEquals(RtcpPacket.GOODBYE, RtcpPacket.packetType(buf, 32));
        assertTrue(RtcpPacket.padding(buf, 32));
    }

    @Test
    void refusesWhatRfc3550AppendixA2Refuses() {
        assertEquals(RtcpPacket.Check.TOO_SHORT, check(bytes(0x80, 0xC9, 0x00, 0x01)));
        byte[] version1 = SENDER_REPORT_AND_SDES.clone();
        version1[52] = 0x41;                                             // the SDES says version 1
        assertEquals(RtcpPacket.Check.BAD_VERSION, check(version1));
        byte[] overrun = SENDER_REPORT_AND_SDES.clone();
        overrun[55] = 0x05;                                              // the SDES claims 24 bytes, 20 are there
        assertEquals(RtcpPacket.Check.BAD_LENGTH, check(overrun));
        byte[] truncated = java.util.Arrays.copyOf(SENDER_REPORT_AND_SDES, 70);
        assertEquals(RtcpPacket.Check.BAD_LENGTH, check(truncated));
        byte[] paddedFirst = RECEIVER_REPORT_AND_PADDED_BYE.clone();
        paddedFirst[0] = (byte) 0xA1;                                    // padding on a packet that is not the last
        assertEquals(RtcpPacket.Check.BAD_PADDING, check(paddedFirst));
        byte[] padTooLarge = RECEIVER_REPORT_AND_PADDED_BYE.clone();
        padTooLarge[padTooLarge.length - 1] = 12;                        // more padding than the BYE after its header
        assertEquals(RtcpPacket.Check.BAD_PADDING, check(padTooLarge));
    }

    @Test
    void tellsMultiplexedRtcpFromRtpByItsSecondByte() {
        assertTrue(mux(SENDER_REPORT_AND_SDES));
        assertTrue(mux(RECEIVER_REPORT_AND_PADDED_BYE));
        assertFalse(mux(TestPackets.rtp(0, 1, 160, 7, new byte[160])));       // PCMU
        byte[] markedDynamic = TestPackets.rtp(127, 1, 160, 7, new byte[160]);
        markedDynamic[1] = (byte) 0xFF;                                       // marker + PT 127
        assertFalse(mux(markedDynamic));
        byte[] stun = SENDER_REPORT_AND_SDES.clone();
        stun[0] = 0x00;                                                       // a STUN message starts 00
        assertFalse(mux(stun));
    }

    @Test
    void writesACompoundReportByteForByte() {
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeSenderReport(out, 0x5EED_0001L, 0xEC4F_1A2BL, 0x8000_0000L, 128_000, 250, 40_000, 1);
        RtcpPacket.writeReportBlock(out, 0x0CA1_1E55L, 25, 7, 0x0001_0203L, 40, 0x1A2B_8000L, 0x8000);
        RtcpPacket.writeSourceDescription(out, 0x5EED_0001L, "linphone1".getBytes(StandardCharsets.US_ASCII));
        RtcpPacket.writeGoodbye(out, 0x5EED_0001L);
        byte[] expected = java.util.Arrays.copyOf(SENDER_REPORT_AND_SDES, 80);
        // The same SR and SDES with the roles swapped: the gateway sends, the block is about the caller.
        System.arraycopy(bytes(0x5E, 0xED, 0x00, 0x01), 0, expected, 4, 4);
        System.arraycopy(bytes(0x0C, 0xA1, 0x1E, 0x55), 0, expected, 28, 4);
        System.arraycopy(bytes(0x5E, 0xED, 0x00, 0x01), 0, expected, 56, 4);
        // BYE: V=2 P=0 SC=1 | PT=203 | length 1 | SSRC
        System.arraycopy(bytes(0x81, 0xCB, 0x00, 0x01, 0x5E, 0xED, 0x00, 0x01), 0, expected, 72, 8);
        assertArrayEquals(expected, ByteBufUtil.getBytes(out));
        assertEquals(RtcpPacket.Check.VALID, RtcpPacket.check(out, 0, out.readableBytes()));
        out.release();
    }

    @Test
    void aCnameThatFillsWholeWordsStillEndsWithAZeroWord() {
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeSourceDescription(out, 1, "ab".getBytes(StandardCharsets.US_ASCII)); // 2 + 2 = one word
        assertArrayEquals(bytes(0x81, 0xCA, 0x00, 0x03, 0, 0, 0, 1, 0x01, 0x02, 'a', 'b', 0, 0, 0, 0),
                ByteBufUtil.getBytes(out));
        out.release();
    }

    private static RtcpPacket.Check check(byte[] datagram) {
        return RtcpPacket.check(Unpooled.wrappedBuffer(datagram), 0, datagram.length);
    }

    private static boolean mux(byte[] datagram) {
        return RtcpPacket.isMultiplexedRtcp(Unpooled.wrappedBuffer(datagram), 0, datagram.length);
    }
}
