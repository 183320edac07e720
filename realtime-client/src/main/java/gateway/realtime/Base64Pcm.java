package gateway.realtime;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Base64 (RFC 4648 §4, padded) of PCM16 little-endian samples, written straight into a {@link ByteBuf} and read
 * straight out of a char range, so the audio path allocates nothing per frame.
 */
final class Base64Pcm {

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes();
    private static final int INVALID = -1;
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, INVALID);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private Base64Pcm() {
    }

    /** Characters needed for {@code samples} samples (2 bytes each), padding included. */
    static int encodedLength(int samples) {
        return (samples * 2 + 2) / 3 * 4;
    }

    /** Writes the Base64 of {@code pcm[offset, offset+length)} as PCM16 LE at the buffer's writer index. */
    static void encode(short[] pcm, int offset, int length, ByteBuf out) {
        encode(pcm, offset, length, out, 0);
    }

    /**
     * As {@link #encode(short[], int, int, ByteBuf)}, with every 4-character group XORed with {@code mask}: a
     * WebSocket masking key already rotated to where the text starts in the payload, so the frame is masked as it is
     * written (RFC 6455 §5.3).
     */
    static void encode(short[] pcm, int offset, int length, ByteBuf out, int mask) {
        int bytes = length * 2;
        out.ensureWritable(encodedLength(length));
        int w = out.writerIndex();
        int i = 0;
        for (; i + 3 <= bytes; i += 3) {
            int v = byteAt(pcm, offset, i) << 16 | byteAt(pcm, offset, i + 1) << 8 | byteAt(pcm, offset, i + 2);
            out.setInt(w, (ALPHABET[v >>> 18 & 63] << 24 | ALPHABET[v >>> 12 & 63] << 16
                    | ALPHABET[v >>> 6 & 63] << 8 | ALPHABET[v & 63]) ^ mask);
            w += 4;
        }
        int rest = bytes - i;
        if (rest > 0) {
            int v = byteAt(pcm, offset, i) << 16 | (rest == 2 ? byteAt(pcm, offset, i + 1) << 8 : 0);
            out.setInt(w, (ALPHABET[v >>> 18 & 63] << 24 | ALPHABET[v >>> 12 & 63] << 16
                    | (rest == 2 ? ALPHABET[v >>> 6 & 63] : '=') << 8 | '=') ^ mask);
            w += 4;
        }
        out.writerIndex(w);
    }

    private static int byteAt(short[] pcm, int offset, int index) {
        int sample = pcm[offset + (index >> 1)];
        return (index & 1) == 0 ? sample & 0xFF : sample >> 8 & 0xFF;
    }

    /** Decodes Base64 of PCM16 LE into samples, growing its array only when a longer payload comes. */
    static final class Decoder {

        private short[] samples = new short[0];

        /** The decoded samples of the last successful {@link #decode}. */
        short[] samples() {
            return samples;
        }

        /**
         * Decodes {@code chars[offset, offset+length)}; returns the number of samples, or -1 when the text is not
         * Base64. A trailing odd byte is dropped.
         */
        int decode(char[] chars, int offset, int length) {
            int end = offset + length;
            while (end > offset && chars[end - 1] == '=') {
                end--;
            }
            int symbols = end - offset;
            if (symbols % 4 == 1 || offset + length - end > 2) {
                return -1;
            }
            int bytes = symbols * 6 / 8;
            int count = bytes / 2;
            if (samples.length < count) {
                samples = new short[count];
            }
            int acc = 0;
            int bits = 0;
            int written = 0;
            int low = 0;
            for (int i = offset; i < end; i++) {
                char c = chars[i];
                int v = c < 128 ? VALUES[c] : INVALID;
                if (v == INVALID) {
                    return -1;
                }
                acc = acc << 6 | v;
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    int b = acc >> bits & 0xFF;
                    if ((written & 1) == 0) {
                        low = b;
                    } else {
                        samples[written >> 1] = (short) (b << 8 | low);
                    }
                    written++;
                    acc &= (1 << bits) - 1;
                }
            }
            return count;
        }
    }
}
