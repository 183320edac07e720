package gateway.realtime;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 (RFC 4648 §4, padded) of audio, PCM16 little-endian samples or G.711 code octets, written straight into a
 * {@link ByteBuf} ({@link Encoder}) and read straight out of the frame's bytes, so the audio path allocates nothing per
 * frame.
 */
final class Base64Pcm {

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes();
    /** PAIRS[v] = the two characters of the 12 bits v, the first in the high byte. */
    private static final char[] PAIRS = new char[1 << 12];
    private static final int INVALID = -1;
    /** The 6-bit value of each octet, {@link #INVALID} outside the alphabet (every octet: no range check). */
    private static final int[] VALUES = new int[256];

    static {
        Arrays.fill(VALUES, INVALID);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
        for (int v = 0; v < PAIRS.length; v++) {
            PAIRS[v] = (char) (ALPHABET[v >>> 6] << 8 | ALPHABET[v & 63]);
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

    /** The four characters of 24 bits: two look-ups of 12 bits each. */
    private static int quad(int v) {
        return PAIRS[v >>> 12 & 0xFFF] << 16 | PAIRS[v & 0xFFF];
    }

    /** The four characters of the last 1 or 2 octets ({@code rest}), held in the top bits of v, with padding. */
    private static int padded(int v, int rest) {
        return ALPHABET[v >>> 18 & 63] << 24 | ALPHABET[v >>> 12 & 63] << 16
                | (rest == 2 ? ALPHABET[v >>> 6 & 63] : '=') << 8 | '=';
    }

    /**
     * Writes Base64, PCM16 LE of samples or G.711 code octets, at a buffer's writer index through reused chunk arrays
     * that are copied into the buffer at once: the buffer's access and bounds checks run once per chunk (20 ms of
     * 24 kHz audio), not once per 4 characters. A whole chunk of samples is laid out little-endian by a bulk copy and
     * encoded by the JDK's {@link java.util.Base64.Encoder}, whose block loop the JIT replaces with vector code
     * (about a quarter of the time of the table loop below, which encodes what is left). Allocation-free; not
     * thread-safe: one per thread ({@link RealtimeConnection} keeps one per event loop, shared by its connections).
     */
    static final class Encoder {

        /** Characters per chunk: 20 ms of 24 kHz PCM16 (960 octets, a multiple of 3, so chunks join seamlessly). */
        private static final int CHUNK_CHARS = 1280;
        private static final int CHUNK_OCTETS = CHUNK_CHARS / 4 * 3;
        private static final int CHUNK_SAMPLES = CHUNK_OCTETS / 2;
        /** Writes an int big-endian into a byte array: the 4 characters in text order. */
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final Base64.Encoder JDK = Base64.getEncoder();

        private final byte[] chars = new byte[CHUNK_CHARS];
        private final byte[] octets = new byte[CHUNK_OCTETS];
        /** {@link #octets} as little-endian samples: its bulk put is one copy of memory on a little-endian CPU. */
        private final ShortBuffer octetsAsSamples = ByteBuffer.wrap(octets).order(ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer();

        /** Writes the Base64 of {@code pcm[offset, offset+length)} as PCM16 LE. */
        void encode(short[] pcm, int offset, int length, ByteBuf out) {
            encode(pcm, offset, length, out, 0);
        }

        /**
         * As {@link #encode(short[], int, int, ByteBuf)}, with every 4-character group XORed with {@code mask}: a
         * WebSocket masking key already rotated to where the text starts in the payload, so the frame is masked as
         * it is written (RFC 6455 §5.3).
         */
        void encode(short[] pcm, int offset, int length, ByteBuf out, int mask) {
            out.ensureWritable(encodedLength(length));
            int done = 0;
            for (; done + CHUNK_SAMPLES <= length; done += CHUNK_SAMPLES) {
                octetsAsSamples.put(0, pcm, offset + done, CHUNK_SAMPLES);
                JDK.encode(octets, chars);
                mask(chars, mask);
                out.writeBytes(chars, 0, CHUNK_CHARS);
            }
            if (done < length) {
                out.writeBytes(chars, 0, samplesChunk(pcm, offset + done, length - done, mask));
            }
        }

        /** As {@link #encode(short[], int, int, ByteBuf, int)} for octets: G.711 codes, one per sample. */
        void encode(byte[] codes, int offset, int length, ByteBuf out, int mask) {
            out.ensureWritable(octetsLength(length));
            for (int done = 0; done < length; done += CHUNK_OCTETS) {
                int n = Math.min(CHUNK_OCTETS, length - done);
                out.writeBytes(chars, 0, octetsChunk(codes, offset + done, n, mask));
            }
        }

        /** XORs each 4 characters of a whole chunk with {@code mask} (its first octet with the mask's high octet). */
        private static void mask(byte[] c, int mask) {
            if (mask == 0) {
                return;
            }
            for (int i = 0; i < CHUNK_CHARS; i += Integer.BYTES) {
                INT.set(c, i, (int) INT.get(c, i) ^ mask);
            }
        }

        /** Encodes n ≤ {@link #CHUNK_SAMPLES} samples into {@link #chars}; returns the characters written. */
        private int samplesChunk(short[] pcm, int offset, int n, int mask) {
            byte[] c = chars;
            int w = 0;
            int i = offset;
            int end = offset + n;
            for (; i + 3 <= end; i += 3, w += 8) { // 3 samples = 6 octets: lo0 hi0 lo1 | hi1 lo2 hi2
                int s0 = pcm[i];
                int s1 = pcm[i + 1];
                int s2 = pcm[i + 2];
                INT.set(c, w, quad((s0 & 0xFF) << 16 | s0 & 0xFF00 | s1 & 0xFF) ^ mask);
                INT.set(c, w + 4, quad((s1 & 0xFF00) << 8 | (s2 & 0xFF) << 8 | s2 >> 8 & 0xFF) ^ mask);
            }
            if (end - i == 1) {
                int s0 = pcm[i];
                INT.set(c, w, padded((s0 & 0xFF) << 16 | s0 & 0xFF00, 2) ^ mask);
                w += 4;
            } else if (end - i == 2) {
                int s0 = pcm[i];
                int s1 = pcm[i + 1];
                INT.set(c, w, quad((s0 & 0xFF) << 16 | s0 & 0xFF00 | s1 & 0xFF) ^ mask);
                INT.set(c, w + 4, padded((s1 & 0xFF00) << 8, 1) ^ mask);
                w += 8;
            }
            return w;
        }

        /** Encodes n ≤ {@link #CHUNK_OCTETS} octets into {@link #chars}; returns the characters written. */
        private int octetsChunk(byte[] codes, int offset, int n, int mask) {
            byte[] c = chars;
            int w = 0;
            int i = offset;
            int end = offset + n;
            for (; i + 3 <= end; i += 3, w += 4) {
                INT.set(c, w, quad((codes[i] & 0xFF) << 16 | (codes[i + 1] & 0xFF) << 8 | codes[i + 2] & 0xFF) ^ mask);
            }
            int rest = end - i;
            if (rest > 0) {
                int v = (codes[i] & 0xFF) << 16 | (rest == 2 ? (codes[i + 1] & 0xFF) << 8 : 0);
                INT.set(c, w, padded(v, rest) ^ mask);
                w += 4;
            }
            return w;
        }
    }

    /**
     * Decodes Base64 into octets, or PCM16 LE into samples, growing its arrays only when a longer payload comes. Whole
     * blocks of the text go through the JDK's {@link java.util.Base64.Decoder} (vector code, as the encoder's), which
     * takes only a whole array: each block is copied into a reused one first. What is left, under a block, goes
     * through the table loop. Not thread-safe: one per thread ({@link ServerEventParser} keeps one per thread).
     */
    static final class Decoder {

        /** Characters per block: 20 ms of 24 kHz PCM16. */
        private static final int BLOCK_CHARS = 1280;
        private static final int BLOCK_OCTETS = BLOCK_CHARS / 4 * 3;
        private static final Base64.Decoder JDK = Base64.getDecoder();

        private final byte[] block = new byte[BLOCK_CHARS];
        private final byte[] blockOctets = new byte[BLOCK_OCTETS];
        private byte[] octets = new byte[0];
        private short[] samples = new short[0];
        /** {@link #octets} as little-endian samples, made again when {@link #octets} grows. */
        private ShortBuffer octetsAsSamples = ShortBuffer.allocate(0);

        /** The decoded samples of the last successful {@link #decode}. */
        short[] samples() {
            return samples;
        }

        /** The decoded octets of the last successful {@link #decodeOctets} (or {@link #decode}). */
        byte[] octets() {
            return octets;
        }

        /** Decodes as G.711 codes ({@link #decodeOctets}) when {@code codes}, else as PCM16 ({@link #decode}). */
        int decode(byte[] text, int offset, int length, boolean codes) {
            return codes ? decodeOctets(text, offset, length) : decode(text, offset, length);
        }

        /**
         * Decodes the ASCII text {@code text[offset, offset+length)} as PCM16 LE; returns the number of samples, or -1
         * when the text is not Base64. A trailing odd byte is dropped.
         */
        int decode(byte[] text, int offset, int length) {
            int bytes = decodeOctets(text, offset, length);
            if (bytes < 0) {
                return -1;
            }
            int count = bytes / 2;
            if (samples.length < count) {
                samples = new short[count];
            }
            octetsAsSamples.get(0, samples, 0, count);
            return count;
        }

        /**
         * Decodes the ASCII text {@code text[offset, offset+length)}; returns the octets, or -1 when not Base64. Four
         * characters make three octets at a time (RFC 4648 §4); a last group of two or three characters makes one or
         * two.
         */
        int decodeOctets(byte[] text, int offset, int length) {
            int end = offset + length;
            while (end > offset && text[end - 1] == '=') {
                end--;
            }
            int symbols = end - offset;
            if (symbols % 4 == 1 || offset + length - end > 2) {
                return -1;
            }
            int bytes = symbols * 6 / 8;
            if (octets.length < bytes) {
                octets = new byte[bytes];
                octetsAsSamples = ByteBuffer.wrap(octets).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            }
            int i = offset;
            int written = 0;
            for (; i + BLOCK_CHARS <= end; i += BLOCK_CHARS, written += BLOCK_OCTETS) {
                if (!block(text, i, written)) {
                    return -1;
                }
            }
            for (int groups = end - (symbols & 3); i < groups; i += 4) {
                int a = VALUES[text[i] & 0xFF];
                int b = VALUES[text[i + 1] & 0xFF];
                int c = VALUES[text[i + 2] & 0xFF];
                int d = VALUES[text[i + 3] & 0xFF];
                if ((a | b | c | d) < 0) {
                    return -1;
                }
                int v = a << 18 | b << 12 | c << 6 | d;
                octets[written] = (byte) (v >> 16);
                octets[written + 1] = (byte) (v >> 8);
                octets[written + 2] = (byte) v;
                written += 3;
            }
            if (i < end) {
                int a = VALUES[text[i] & 0xFF];
                int b = VALUES[text[i + 1] & 0xFF];
                int c = i + 2 < end ? VALUES[text[i + 2] & 0xFF] : 0;
                if ((a | b | c) < 0) {
                    return -1;
                }
                int v = a << 18 | b << 12 | c << 6;
                octets[written] = (byte) (v >> 16);
                if (i + 2 < end) {
                    octets[written + 1] = (byte) (v >> 8);
                }
            }
            return bytes;
        }

        /**
         * Decodes the whole block at {@code text[from]} into {@link #octets} at {@code at}; false when it is not
         * Base64. Padding only ends the text, which the caller has cut off: a block that holds some (the JDK stops
         * there, or refuses what follows) is not Base64.
         */
        private boolean block(byte[] text, int from, int at) {
            System.arraycopy(text, from, block, 0, BLOCK_CHARS);
            try {
                if (JDK.decode(block, blockOctets) != BLOCK_OCTETS) {
                    return false;
                }
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
            System.arraycopy(blockOctets, 0, octets, at, BLOCK_OCTETS);
            return true;
        }
    }
}
