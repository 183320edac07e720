package gateway.bridge.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PCM16 WAV file read into memory, written independently of the production writer so tests check its output.
 *
 * @param samples one array per channel, {@code frames} long
 */
record WavFile(int sampleRate, int channels, int frames, short[][] samples) {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    /** Reads a RIFF/WAVE file with 16-bit integer PCM (plain or WAVE_FORMAT_EXTENSIBLE), skipping unknown chunks. */
    static WavFile read(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(path + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int sampleRate = -1;
        int channels = -1;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2);
                sampleRate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if ((format != FORMAT_PCM && format != FORMAT_EXTENSIBLE) || bits != 16) {
                    throw new IOException(path + ": not 16-bit PCM (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164) { // "data"
                if (channels <= 0) {
                    throw new IOException(path + ": data before fmt");
                }
                int bytes = Math.min(size, b.limit() - body);
                if (bytes != size) {
                    throw new IOException(path + ": data chunk says " + size + " bytes, file has " + bytes);
                }
                int frames = bytes / (2 * channels);
                short[][] samples = new short[channels][frames];
                for (int f = 0; f < frames; f++) {
                    for (int c = 0; c < channels; c++) {
                        samples[c][f] = b.getShort(body + (f * channels + c) * 2);
                    }
                }
                return new WavFile(sampleRate, channels, frames, samples);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(path + ": no data chunk");
    }

    short[] channel(int index) {
        return samples[index];
    }

    /** Length in milliseconds. */
    double durationMs() {
        return frames * 1000.0 / sampleRate;
    }
}
