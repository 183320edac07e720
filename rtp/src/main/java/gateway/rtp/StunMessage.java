package gateway.rtp;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.zip.CRC32;

/**
 * Reads a STUN message header in place and writes the Binding success response to a Binding request (RFC 5389 §6,
 * §7.3, §15.2, §15.5), the one STUN exchange an RTP port answers: peers (linphone, ICE agents) send Binding requests
 * to learn their public address or to keep a NAT binding open.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Magic Cookie (0x2112A442)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   attributes: type (16), length (16), value padded to 32 bits |
 * </pre>
 *
 * A request without the magic cookie is an RFC 3489 one: it is answered with MAPPED-ADDRESS, as RFC 5389 §12.2 asks.
 * One instance per RTP session (it reuses its scratch array and checksum); event loop only.
 */
final class StunMessage {

    /** The fixed header (§6). */
    static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    /** Binding request and its success response (§6, §18.1). */
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    private static final int MAPPED_ADDRESS = 0x0001;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int FINGERPRINT = 0x8028;
    /** The FINGERPRINT attribute's value is the CRC-32 XOR this ("STUN", §15.5). */
    private static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;
    private static final int ATTRIBUTE_HEADER = 4;
    private static final int FINGERPRINT_ATTRIBUTE = ATTRIBUTE_HEADER + 4;
    /** The longest response: header, an IPv6 address attribute (4 + 20) and FINGERPRINT. */
    static final int MAX_RESPONSE_LENGTH = HEADER_LENGTH + ATTRIBUTE_HEADER + 20 + FINGERPRINT_ATTRIBUTE;

    private final byte[] out = new byte[MAX_RESPONSE_LENGTH];
    private final CRC32 crc = new CRC32();

    /**
     * True when [off, off + len) is a well-formed STUN header: the two leading zero bits, a length that is a multiple
     * of 4 and covers exactly the rest of the datagram (§6).
     */
    static boolean wellFormed(ByteBuf buf, int off, int len) {
        if (len < HEADER_LENGTH || (buf.getUnsignedByte(off) & 0xC0) != 0) {
            return false;
        }
        int length = buf.getUnsignedShort(off + 2);
        return length % 4 == 0 && length == len - HEADER_LENGTH;
    }

    /** The message type (method and class, §6) of a well-formed message. */
    static int type(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off);
    }

    /**
     * Writes into {@code target} the Binding success response to the well-formed Binding request at [off, off + len)
     * received from {@code source}: the same transaction id, the source's transport address (XOR-MAPPED-ADDRESS, or
     * MAPPED-ADDRESS for an RFC 3489 request), and FINGERPRINT when the request carried one (§7.3.1, §15.5).
     */
    void writeBindingSuccess(ByteBuf buf, int off, int len, InetSocketAddress source, ByteBuf target) {
        boolean classic = buf.getInt(off + 4) != MAGIC_COOKIE;
        boolean fingerprint = !classic && lastAttributeIs(buf, off, len, FINGERPRINT);
        byte[] address = source.getAddress().getAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address;
        int attribute = ATTRIBUTE_HEADER + 4 + address.length;
        int length = attribute + (fingerprint ? FINGERPRINT_ATTRIBUTE : 0);
        putShort(0, BINDING_SUCCESS);
        putShort(2, length);
        buf.getBytes(off + 4, out, 4, 16);            // cookie (or the RFC 3489 id's first word) and transaction id
        int at = HEADER_LENGTH;
        putShort(at, classic ? MAPPED_ADDRESS : XOR_MAPPED_ADDRESS);
        putShort(at + 2, 4 + address.length);
        out[at + 4] = 0;
        out[at + 5] = (byte) (v4 ? FAMILY_IPV4 : FAMILY_IPV6);
        int port = source.getPort();
        putShort(at + 6, classic ? port : port ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < address.length; i++) {
            // §15.2: the address XOR the magic cookie, and for IPv6 then the transaction id (bytes 4-19 in order).
            out[at + 8 + i] = classic ? address[i] : (byte) (address[i] ^ out[4 + i]);
        }
        at += attribute;
        if (fingerprint) {
            crc.reset();
            crc.update(out, 0, at);
            putShort(at, FINGERPRINT);
            putShort(at + 2, 4);
            putInt(at + 4, (int) crc.getValue() ^ FINGERPRINT_XOR);
            at += FINGERPRINT_ATTRIBUTE;
        }
        target.writeBytes(out, 0, at);
    }

    /** True when the message's attributes are well-formed and the last one has {@code type}. */
    private static boolean lastAttributeIs(ByteBuf buf, int off, int len, int type) {
        int at = off + HEADER_LENGTH;
        int end = off + len;
        int last = -1;
        while (at + ATTRIBUTE_HEADER <= end) {
            last = buf.getUnsignedShort(at);
            int padded = (buf.getUnsignedShort(at + 2) + 3) & ~3;
            at += ATTRIBUTE_HEADER + padded;
        }
        return at == end && last == type;
    }

    private void putShort(int at, int value) {
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
    }

    private void putInt(int at, int value) {
        putShort(at, value >>> 16);
        putShort(at + 2, value);
    }
}
