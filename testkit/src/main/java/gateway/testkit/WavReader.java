package gateway.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a 16-bit PCM WAV file into memory, written independently of the gateway's writer so tests check its output.
 * Accepts plain PCM and WAVE_FORMAT_EXTENSIBLE, skips unknown chunks, and rejects anything else, including a file cut
 * short inside its header or its data, with an {@link IOException} that names the file, its size and what is missing.
 */
public final class WavReader {

    private static final int RIFF = 0x46464952;
    private static final int WAVE = 0x45564157;
    private static final int FMT = 0x20746d66;
    private static final int DATA = 0x61746164;
    private static final int RIFF_HEADER_BYTES = 12;
    private static final int CHUNK_HEADER_BYTES = 8;
    private static final int PCM_FMT_BYTES = 16;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /**
     * A WAV file's header fields and samples.
     *
     * @param riffSize the RIFF chunk's declared size (file size − 8 when the header is up to date)
     * @param dataSize the data chunk's declared size in bytes; the file holds at least this many
     * @param samples one array per channel, {@link #frames()} long
     */
    public record Wav(int riffSize, int formatTag, int channels, int sampleRate, int byteRate, int blockAlign,
            int bitsPerSample, int dataSize, short[][] samples) {

        /** Sample frames in the data chunk. */
        public int frames() {
            return samples[0].length;
        }

        /** The samples of one channel (0 = left). */
        public short[] channel(int index) {
            return samples[index];
        }

        /** Channel 0 of a frame. */
        public short left(int frame) {
            return samples[0][frame];
        }

        /** Channel 1 of a frame. */
        public short right(int frame) {
            return samples[1][frame];
        }

        /** Length in milliseconds. */
        public double durationMs() {
            return frames() * 1000.0 / sampleRate;
        }
    }

    /** Reads {@code path}; only the bytes the data chunk declares are samples, anything after it is ignored. */
    public static Wav read(Path path) throws IOException {
        return read(path, false);
    }

    /**
     * Reads a file another program wrote whose data chunk may declare more than the file holds (linphone 5.1 counts
     * its header in it): the samples are the whole frames the file has.
     */
    public static Wav readForeign(Path path) throws IOException {
        return read(path, true);
    }

    private static Wav read(Path path, boolean clampData) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        Source source = new Source(path, b.limit());
        if (b.limit() < RIFF_HEADER_BYTES) {
            throw source.error("shorter than the " + RIFF_HEADER_BYTES + "-byte RIFF/WAVE header");
        }
        if (b.getInt(0) != RIFF || b.getInt(8) != WAVE) {
            throw source.error("no RIFF/WAVE signature in its first " + RIFF_HEADER_BYTES + " bytes");
        }
        int riffSize = b.getInt(4);
        Format format = null;
        int pos = RIFF_HEADER_BYTES;
        while (pos + CHUNK_HEADER_BYTES <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + CHUNK_HEADER_BYTES;
            if (clampData && id == DATA && format != null) {
                long whole = b.limit() - body;
                size = Math.min(size, whole - whole % format.blockAlign);
            }
            source.require(pos, size, fourCc(id) + " chunk");
            if (id == FMT) {
                if (size < PCM_FMT_BYTES) {
                    throw source.error("fmt chunk at byte " + pos + " is " + size + " bytes, needs " + PCM_FMT_BYTES);
                }
                format = Format.parse(b, body, source);
            } else if (id == DATA) {
                if (format == null) {
                    throw source.error("data chunk at byte " + pos + " comes before any fmt chunk");
                }
                return format.read(b, riffSize, body, (int) size, source);
            }
            pos = (int) (body + size + (size & 1));
        }
        if (pos < b.limit()) {
            throw source.error("cut inside a chunk header at byte " + pos);
        }
        throw source.error(format == null ? "no fmt chunk" : "no data chunk");
    }

    private static String fourCc(int id) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = (id >>> (8 * i)) & 0xFF;
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return "'" + new String(c) + "'";
    }

    /** The file being read, for error messages. */
    private record Source(Path path, int size) {

        IOException error(String what) {
            return new IOException(path + " (" + size + " bytes): " + what);
        }

        /** Fails unless the chunk whose header starts at {@code at} has its {@code bytes} of body in the file. */
        void require(int at, long bytes, String what) throws IOException {
            long available = size - at - CHUNK_HEADER_BYTES;
            if (bytes > available) {
                throw error(what + " at byte " + at + " declares " + bytes + " bytes, the file has " + available
                        + " after its header");
            }
        }
    }

    /** The fields of a fmt chunk. */
    private record Format(int tag, int channels, int sampleRate, int byteRate, int blockAlign, int bits) {

        static Format parse(ByteBuffer b, int at, Source source) throws IOException {
            Format f = new Format(b.getShort(at) & 0xFFFF, b.getShort(at + 2), b.getInt(at + 4), b.getInt(at + 8),
                    b.getShort(at + 12), b.getShort(at + 14));
            if ((f.tag != FORMAT_PCM && f.tag != FORMAT_EXTENSIBLE) || f.bits != 16) {
                throw source.error("not 16-bit PCM (format tag " + f.tag + ", " + f.bits + " bits)");
            }
            if (f.channels <= 0 || f.blockAlign != 2 * f.channels) {
                throw source.error("fmt chunk has " + f.channels + " channels and block align " + f.blockAlign);
            }
            return f;
        }

        Wav read(ByteBuffer b, int riffSize, int at, int dataSize, Source source) throws IOException {
            if (dataSize % blockAlign != 0) {
                throw source.error("data chunk of " + dataSize + " bytes is not a whole number of "
                        + blockAlign + "-byte frames");
            }
            int frames = dataSize / blockAlign;
            short[][] samples = new short[channels][frames];
            for (int f = 0; f < frames; f++) {
                for (int c = 0; c < channels; c++) {
                    samples[c][f] = b.getShort(at + (f * channels + c) * 2);
                }
            }
            return new Wav(riffSize, tag, channels, sampleRate, byteRate, blockAlign, bits, dataSize, samples);
        }
    }
}
