package gateway.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes the RTP fixed header (RFC 3550 §5.1) in place, at absolute indices of a ByteBuf; nothing is
 * copied or allocated. Stateless and thread-safe.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |  extension length (words)     |  (if X, §5.3.1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension ...                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  payload ...  | padding ...   | padding count |  (if P)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Call {@link #check} first; the other readers assume a packet that passed it. The per-packet path reads the first
 * eight octets once ({@link #head}) and takes its fields out of that long: every read of a pooled buffer checks its
 * reference count and bounds, and on JDK 25 without {@code sun.misc.Unsafe} the memory session too.
 */
final class RtpPacket {

    /** Fixed header size without CSRCs. */
    static final int FIXED_HEADER_LENGTH = 12;
    /** The only RTP version (§5.1). */
    static final int VERSION = 2;
    private static final int EXTENSION_HEADER_LENGTH = 4;
    private static final int CSRC_LENGTH = 4;

    /** Outcome of {@link #check}: VALID or the reason a datagram is not a usable RTP packet. */
    enum Check {
        VALID,
        /** Shorter than the 12-byte fixed header. */
        TOO_SHORT,
        /** V field is not 2 (e.g. STUN or a stray datagram). */
        BAD_VERSION,
        /** The CSRC list runs past the end of the datagram. */
        CSRC_OVERRUN,
        /** The header extension runs past the end of the datagram. */
        EXTENSION_OVERRUN,
        /** P is set but the padding count is 0 or larger than what follows the header. */
        BAD_PADDING
    }

    private RtpPacket() {
    }

    /** Validates version and all lengths of the datagram at [off, off + len). */
    static Check check(ByteBuf buf, int off, int len) {
        if (len < FIXED_HEADER_LENGTH) {
            return Check.TOO_SHORT;
        }
        long head = head(buf, off);
        if (version(head) != VERSION) {
            return Check.BAD_VERSION;
        }
        int header = FIXED_HEADER_LENGTH + CSRC_LENGTH * csrcCount(head);
        if (header > len) {
            return Check.CSRC_OVERRUN;
        }
        if (extension(head)) {
            if (header + EXTENSION_HEADER_LENGTH > len) {
                return Check.EXTENSION_OVERRUN;
            }
            header += EXTENSION_HEADER_LENGTH + 4 * buf.getUnsignedShort(off + header + 2);
            if (header > len) {
                return Check.EXTENSION_OVERRUN;
            }
        }
        if (padding(head)) {
            int pad = buf.getUnsignedByte(off + len - 1);
            if (pad == 0 || header + pad > len) {
                return Check.BAD_PADDING;
            }
        }
        return Check.VALID;
    }

    /**
     * The first eight octets of the header (V, P, X, CC, M, PT, sequence number, timestamp) as one big-endian long:
     * one read of the buffer for all of them, each then taken out by the decoders below that take a {@code head}.
     */
    static long head(ByteBuf buf, int off) {
        return buf.getLong(off);
    }

    static int version(long head) {
        return (int) (head >>> 62);
    }

    static boolean padding(long head) {
        return (head & 0x20L << 56) != 0;
    }

    static boolean extension(long head) {
        return (head & 0x10L << 56) != 0;
    }

    static int csrcCount(long head) {
        return (int) (head >>> 56) & 0x0F;
    }

    static boolean marker(long head) {
        return (head & 0x80L << 48) != 0;
    }

    static int payloadType(long head) {
        return (int) (head >>> 48) & 0x7F;
    }

    /** 16-bit sequence number, 0–65535. */
    static int sequence(long head) {
        return (int) (head >>> 32) & 0xFFFF;
    }

    /** 32-bit timestamp as an unsigned value in a long. */
    static long timestamp(long head) {
        return head & 0xFFFFFFFFL;
    }

    static long timestamp(ByteBuf buf, int off) {
        return timestamp(head(buf, off));
    }

    /** 32-bit SSRC as an unsigned value in a long. */
    static long ssrc(ByteBuf buf, int off) {
        return buf.getUnsignedInt(off + 8);
    }

    /** Header length: fixed part, CSRC list and extension (header and data). */
    static int headerLength(ByteBuf buf, int off) {
        return headerLength(buf, off, head(buf, off));
    }

    /** {@link #headerLength(ByteBuf, int)} of the packet whose {@link #head} is {@code head}. */
    static int headerLength(ByteBuf buf, int off, long head) {
        int header = FIXED_HEADER_LENGTH + CSRC_LENGTH * csrcCount(head);
        if (extension(head)) {
            header += EXTENSION_HEADER_LENGTH + 4 * buf.getUnsignedShort(off + header + 2);
        }
        return header;
    }

    /** Absolute index of the first payload byte. */
    static int payloadOffset(ByteBuf buf, int off) {
        return off + headerLength(buf, off);
    }

    /** Payload length of the datagram of length len, padding removed. */
    static int payloadLength(ByteBuf buf, int off, int len) {
        long head = head(buf, off);
        return len - headerLength(buf, off, head) - paddingLength(buf, off, len, head);
    }

    /** Octets of padding that end the datagram of length len: the count in its last octet when P is set, else 0. */
    static int paddingLength(ByteBuf buf, int off, int len, long head) {
        return padding(head) ? buf.getUnsignedByte(off + len - 1) : 0;
    }

    /**
     * Appends a 12-byte header (V=2, no padding, extension or CSRCs) at the writer index.
     *
     * @param sequence  low 16 bits are used
     * @param timestamp low 32 bits are used
     * @param ssrc      low 32 bits are used
     */
    static void writeHeader(ByteBuf out, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        out.writeByte(VERSION << 6);
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out.writeShort(sequence);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
    }
}
