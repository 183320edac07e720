package gateway.realtime;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client-to-server WebSocket text frame (RFC 6455 §5.2) written into the same buffer as its payload: header, a
 * fresh masking key (§5.3), then the payload, masked as or after it is written. The append path so needs no frame
 * object; Netty's frame encoder passes a plain {@link ByteBuf} on untouched.
 */
final class MaskedTextFrame {

    private static final int FIN_TEXT = 0x81;
    private static final int MASKED = 0x80;
    private static final int MAX_7_BIT_LENGTH = 125;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;
    private static final int MASK_KEY_BYTES = 4;

    private MaskedTextFrame() {
    }

    /** Bytes of header and masking key in front of a payload of {@code payloadLength} bytes. */
    static int headerLength(int payloadLength) {
        int length = payloadLength <= MAX_7_BIT_LENGTH ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return length + MASK_KEY_BYTES;
    }

    /** Writes FIN + opcode 1 (text), the masked payload length and a random masking key; returns the key. */
    static int writeHeader(ByteBuf buf, int payloadLength) {
        buf.writeByte(FIN_TEXT);
        if (payloadLength <= MAX_7_BIT_LENGTH) {
            buf.writeByte(MASKED | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            buf.writeByte(MASKED | LENGTH_16_BIT);
            buf.writeShort(payloadLength);
        } else {
            buf.writeByte(MASKED | LENGTH_64_BIT);
            buf.writeLong(payloadLength);
        }
        int key = ThreadLocalRandom.current().nextInt();
        buf.writeInt(key);
        return key;
    }

    /** The key as it applies to 4 bytes starting at {@code payloadOffset}: rotated so its first byte is theirs. */
    static int keyAt(int key, int payloadOffset) {
        return Integer.rotateLeft(key, 8 * (payloadOffset & 3));
    }

    /**
     * XORs {@code buf[from, from + length)} with the key: byte i with key byte i mod 4 (§5.3), so {@code from} must be
     * where the key starts (payload offset 0, or {@link #keyAt} for a later start).
     */
    static void mask(ByteBuf buf, int from, int length, int key) {
        long key8 = (key & 0xFFFF_FFFFL) << 32 | (key & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            buf.setLong(from + i, buf.getLong(from + i) ^ key8);
        }
        for (; i < length; i++) {
            buf.setByte(from + i, buf.getByte(from + i) ^ (key >>> (24 - 8 * (i & 3))));
        }
    }
}
