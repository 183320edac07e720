package gateway.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes RTCP packets (RFC 3550 §6) in place, at absolute indices of a ByteBuf; nothing is copied or
 * allocated. A datagram is a compound packet: packets back to back, each with this common header, its length in
 * 32-bit words minus one. Stateless and thread-safe. Call {@link #check} first; the readers assume a datagram that
 * passed it.
 *
 * <p>Sender report (§6.4.1; a receiver report, §6.4.2, is the same without the sender info, PT 201):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |  8  sender info
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     | 24
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 | 28  report block 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       | +4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           | +8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      | +12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         | +16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  | +20
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 * Source description (§6.5): header with SC chunks, each an SSRC and items {type, length, text}, ended by a zero
 * byte and padded with zeros to a 32-bit boundary. Goodbye (§6.6): header with SC, then SC SSRCs.
 */
final class RtcpPacket {

    static final int SENDER_REPORT = 200;
    static final int RECEIVER_REPORT = 201;
    static final int SOURCE_DESCRIPTION = 202;
    static final int GOODBYE = 203;
    /** The SDES item of the canonical name (§6.5.1). */
    static final int CNAME = 1;
    /** Common header plus the sender's SSRC. */
    static final int HEADER_LENGTH = 8;
    static final int SENDER_INFO_LENGTH = 20;
    static final int REPORT_BLOCK_LENGTH = 24;
    /**
     * RFC 5761 §4: on a port shared with RTP, a second byte of 192 to 223 (RTCP packet types 192-223, or RTP types
     * 64-95 with the marker, which a multiplexed session must not use) means RTCP.
     */
    private static final int MUX_FIRST = 192;
    private static final int MUX_LAST = 223;

    /** Outcome of {@link #check}: VALID or why a datagram is not usable RTCP. */
    enum Check {
        VALID,
        /** Shorter than one common header. */
        TOO_SHORT,
        /** A packet's V field is not 2. */
        BAD_VERSION,
        /** The length fields do not add up to the datagram's length. */
        BAD_LENGTH,
        /** Padding on a packet that is not the last, or a padding count larger than the packet. */
        BAD_PADDING
    }

    private RtcpPacket() {
    }

    /** Whether a datagram on an RTP port is RTCP (RFC 5761 §4): version 2 and a second byte of 192 to 223. */
    static boolean isMultiplexedRtcp(ByteBuf buf, int off, int len) {
        if (len < 2 || buf.getUnsignedByte(off) >>> 6 != RtpPacket.VERSION) {
            return false;
        }
        int second = buf.getUnsignedByte(off + 1);
        return second >= MUX_FIRST && second <= MUX_LAST;
    }

    /** Validates a compound packet at [off, off + len) as RFC 3550 A.2 suggests: versions and lengths. */
    static Check check(ByteBuf buf, int off, int len) {
        if (len < HEADER_LENGTH) {
            return Check.TOO_SHORT;
        }
        int at = off;
        int end = off + len;
        while (at < end) {
            if (end - at < 4) {
                return Check.BAD_LENGTH;
            }
            if (buf.getUnsignedByte(at) >>> 6 != RtpPacket.VERSION) {
                return Check.BAD_VERSION;
            }
            int length = length(buf, at);
            if (at + length > end) {
                return Check.BAD_LENGTH;
            }
            if (padding(buf, at)) {
                int pad = buf.getUnsignedByte(at + length - 1);
                if (at + length != end || pad == 0 || pad > length - 4) {
                    return Check.BAD_PADDING;
                }
            }
            at += length;
        }
        return Check.VALID;
    }

    static boolean padding(ByteBuf buf, int off) {
        return (buf.getByte(off) & 0x20) != 0;
    }

    /** RC (reports) or SC (chunks, sources): the low 5 bits of the first byte. */
    static int count(ByteBuf buf, int off) {
        return buf.getByte(off) & 0x1F;
    }

    static int packetType(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + 1);
    }

    /** The packet's length in bytes, header included: (length field + 1) × 4. */
    static int length(ByteBuf buf, int off) {
        return (buf.getUnsignedShort(off + 2) + 1) * 4;
    }

    /** The SSRC after the common header: the sender of an SR or RR, the first source of SDES or BYE. */
    static long ssrc(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 4);
    }

    static long ntpSeconds(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 8);
    }

    static long ntpFraction(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 12);
    }

    /** The middle 32 bits of the NTP timestamp of an SR: what the receivers return as LSR. */
    static long ntpMiddle(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 10);
    }

    static long rtpTimestamp(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 16);
    }

    static long senderPackets(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 20);
    }

    static long senderOctets(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 24);
    }

    /** Absolute index of report block {@code i} of an SR or RR. */
    static int reportBlock(ByteBuf buf, int off, int i) {
        int first = off + HEADER_LENGTH + (packetType(buf, off) == SENDER_REPORT ? SENDER_INFO_LENGTH : 0);
        return first + i * REPORT_BLOCK_LENGTH;
    }

    /** How many report blocks fit the packet's length (a bad RC cannot make the reader overrun it). */
    static int reportBlocks(ByteBuf buf, int off) {
        int blocksEnd = off + length(buf, off) - (padding(buf, off) ? buf.getUnsignedByte(off + length(buf, off) - 1)
                : 0);
        int room = (blocksEnd - reportBlock(buf, off, 0)) / REPORT_BLOCK_LENGTH;
        return Math.max(0, Math.min(count(buf, off), room));
    }

    static long blockSsrc(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block);
    }

    /** Fraction lost in 1/256. */
    static int blockFractionLost(ByteBuf buf, int block) {
        return buf.getUnsignedByte(block + 4);
    }

    /** Cumulative number of packets lost: a signed 24-bit value (negative with duplicates). */
    static int blockCumulativeLost(ByteBuf buf, int block) {
        return buf.getMedium(block + 5);
    }

    static long blockHighestSequence(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 8);
    }

    /** Interarrival jitter in RTP timestamp units. */
    static long blockJitter(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 12);
    }

    static long blockLastSenderReport(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 16);
    }

    /** Delay since the last SR, in 1/65536 s. */
    static long blockDelaySinceLastSenderReport(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 20);
    }

    /** Appends an SR header and sender info for {@code reports} blocks to follow. */
    static void writeSenderReport(ByteBuf out, long ssrc, long ntpSeconds, long ntpFraction, long rtpTimestamp,
                                  long packets, long octets, int reports) {
        writeHeader(out, reports, SENDER_REPORT, HEADER_LENGTH + SENDER_INFO_LENGTH + reports * REPORT_BLOCK_LENGTH);
        out.writeInt((int) ssrc);
        out.writeInt((int) ntpSeconds);
        out.writeInt((int) ntpFraction);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packets);
        out.writeInt((int) octets);
    }

    /** Appends an RR header for {@code reports} blocks to follow. */
    static void writeReceiverReport(ByteBuf out, long ssrc, int reports) {
        writeHeader(out, reports, RECEIVER_REPORT, HEADER_LENGTH + reports * REPORT_BLOCK_LENGTH);
        out.writeInt((int) ssrc);
    }

    /** Appends one report block; {@code cumulativeLost} is clamped to the signed 24 bits it has. */
    static void writeReportBlock(ByteBuf out, long ssrc, int fractionLost, long cumulativeLost, long highest,
                                 long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
        out.writeInt((int) ssrc);
        out.writeByte(fractionLost);
        out.writeMedium((int) Math.max(-0x80_0000, Math.min(0x7F_FFFF, cumulativeLost)));
        out.writeInt((int) highest);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSenderReport);
        out.writeInt((int) delaySinceLastSenderReport);
    }

    /** Appends an SDES packet with one chunk: {@code ssrc} and its CNAME (ASCII, at most 255 bytes). */
    static void writeSourceDescription(ByteBuf out, long ssrc, byte[] cname) {
        int items = 2 + cname.length;
        int padded = (items / 4 + 1) * 4; // at least one zero byte ends the item list (§6.5)
        writeHeader(out, 1, SOURCE_DESCRIPTION, 4 + 4 + padded);
        out.writeInt((int) ssrc);
        out.writeByte(CNAME);
        out.writeByte(cname.length);
        out.writeBytes(cname);
        out.writeZero(padded - items);
    }

    /** Appends a BYE packet for {@code ssrc} (§6.6). */
    static void writeGoodbye(ByteBuf out, long ssrc) {
        writeHeader(out, 1, GOODBYE, HEADER_LENGTH);
        out.writeInt((int) ssrc);
    }

    private static void writeHeader(ByteBuf out, int count, int packetType, int lengthBytes) {
        out.writeByte(RtpPacket.VERSION << 6 | count);
        out.writeByte(packetType);
        out.writeShort(lengthBytes / 4 - 1);
    }
}
