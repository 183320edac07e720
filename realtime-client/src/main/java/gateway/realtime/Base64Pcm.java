package gateway.realtime;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Base64 (RFC 4648 §4, padded) of audio, PCM16 little-endian samples or G.711 code octets, written straight into a
 * {@link ByteBuf} and read straight out of a char range, so the audio path allocates nothing per frame.
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
        return octetsLength(samples * 2);
    }

    /** Characters needed for {@code octets} octets, padding included. */
    static int octetsLength(int octets) {
        return (octets + 2) / 3 * 4;
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
            out.setInt(w, quad(v) ^ mask);
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

    /** As {@link #encode(short[], int, int, ByteBuf, int)} for octets: G.711 codes, one per sample. */
    static void encode(byte[] codes, int offset, int length, ByteBuf out, int mask) {
        out.ensureWritable(octetsLength(length));
        int w = out.writerIndex();
        int i = 0;
        for (; i + 3 <= length; i += 3) {
            int v = (codes[offset + i] & 0xFF) << 16 | (codes[offset + i + 1] & 0xFF) << 8
                    | codes[offset + i + 2] & 0xFF;
            out.setInt(w, quad(v) ^ mask);
            w += 4;
        }
        int rest = length - i;
        if (rest > 0) {
            int v = (codes[offset + i] & 0xFF) << 16 | (rest == 2 ? (codes[offset + i + 1] & 0xFF) << 8 : 0);
            out.setInt(w, (ALPHABET[v >>> 18 & 63] << 24 | ALPHABET[v >>> 12 & 63] << 16
                    | (rest == 2 ? ALPHABET[v >>> 6 & 63] : '=') << 8 | '=') ^ mask);
            w += 4;
        }
        out.writerIndex(w);
    }

    /** The four characters of 24 bits. */
    private static int quad(int v) {
        return ALPHABET[v >>> 18 & 63] << 24 | ALPHABET[v >>> 12 & 63] << 16 | ALPHABET[v >>> 6 & 63] << 8
                | ALPHABET[v & 63];
    }

    private static int byteAt(short[] pcm, int offset, int index) {
        int sample = pcm[offset + (index >> 1)];
        return (index & 1) == 0 ? sample & 0xFF : sample >> 8 & 0xFF;
    }

    /** Decodes Base64 into octets, or PCM16 LE into samples, growing its arrays only when a longer payload comes. */
    static final class Decoder {

        private byte[] octets = new byte[0];
        private short[] samples = new short[0];

        /** The decoded samples of the last successful {@link #decode}. */
        short[] samples() {
            return samples;
        }

        /** The decoded octets of the last successful {@link #decodeOctets} (or {@link #decode}). */
        byte[] octets() {
            return octets;
        }

        /**
         * Decodes {@code chars[offset, offset+length)} as PCM16 LE; returns the number of samples, or -1 when the
         * text is not Base64. A trailing odd byte is dropped.
         */
        int decode(char[] chars, int offset, int length) {
            int bytes = decodeOctets(chars, offset, length);
            if (bytes < 0) {
                return -1;
            }
            int count = bytes / 2;
            if (samples.length < count) {
                samples = new short[count];
            }
            for (int i = 0; i < count; i++) {
                samples[i] = (short) (octets[2 * i + 1] << 8 | octets[2 * i] & 0xFF);
            }
            return count;
        }

        /** Decodes {@code chars[offset, offset+length)}; returns the number of octets, or -1 when not Base64. */
        int decodeOctets(char[] chars, int offset, int length) {
            int end = offset + length;
            while (end > offset && chars[end - 1] == '=') {
                end--;
            }
            int symbols = end - offset;
            if (symbols % 4 == 1 || offset + length - end > 2) {
                return -1;
            }
            int bytes = symbols * 6 / 8;
            if (octets.length < bytes) {
                octets = new byte[bytes];
            }
            int acc = 0;
            int bits = 0;
            int written = 0;
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
                    octets[written++] = (byte) (acc >> bits);
                    acc &= (1 << bits) - 1;
                }
            }
            return bytes;
        }
    }
}
