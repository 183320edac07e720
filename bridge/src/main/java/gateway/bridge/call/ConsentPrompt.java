package gateway.bridge.call;

import gateway.rtp.Upsampler8kTo24k;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recording-consent announcement ("this call is recorded …") played to every caller before the agent speaks,
 * and recorded on the assistant channel like anything else the caller hears. Loaded once at start from a PCM16 mono
 * WAV at 8 kHz (telephone quality, up-sampled with the media path's own filter) or 24 kHz.
 *
 * @param samples the announcement at 24 kHz; shared by all calls, never modified
 */
public record ConsentPrompt(short[] samples) {

    /** What call.json and the captions say the assistant said while the announcement played. */
    public static final String TURN_TEXT = "[recording consent announcement]";
    /** The item id of that turn. */
    public static final String ITEM_ID = "consent-prompt";
    /** Longest announcement accepted: one minute; a longer one is a wrong file. */
    static final int MAX_SECONDS = 60;
    private static final int WAV_FORMAT_PCM = 1;

    /** Reads {@code file}; throws with a plain message when it is not a usable announcement. */
    public static ConsentPrompt load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + " is not a RIFF/WAVE file");
        }
        int rate = 0;
        int dataAt = -1;
        int dataLength = 0;
        for (int at = 12; at + 8 <= bytes.length; ) {
            int id = b.getInt(at);
            int size = b.getInt(at + 4);
            if (size < 0 || at + 8L + size > bytes.length && id != 0x61746164) {
                throw new IOException(file + ": a chunk runs past the end of the file");
            }
            if (id == 0x20746d66) {
                int format = b.getShort(at + 8) & 0xffff;
                int channels = b.getShort(at + 10);
                rate = b.getInt(at + 12);
                int bits = b.getShort(at + 22);
                if (format != WAV_FORMAT_PCM || channels != 1 || bits != 16) {
                    throw new IOException(file + " must be 16-bit PCM mono (format " + format + ", " + channels
                            + " channels, " + bits + " bits)");
                }
            } else if (id == 0x61746164) {
                dataAt = at + 8;
                dataLength = Math.min(size, bytes.length - dataAt) & ~1;
                break;
            }
            at += 8 + size + (size & 1);
        }
        if (rate != CallTimeline.RTP_CLOCK_RATE && rate != CallTimeline.SAMPLE_RATE) {
            throw new IOException(file + " must be at 8000 or 24000 Hz, not " + rate);
        }
        if (dataAt < 0 || dataLength == 0) {
            throw new IOException(file + " has no audio");
        }
        short[] pcm = new short[dataLength / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = b.getShort(dataAt + 2 * i);
        }
        if (pcm.length > (long) MAX_SECONDS * rate) {
            throw new IOException(file + " is longer than " + MAX_SECONDS + " s");
        }
        return new ConsentPrompt(rate == CallTimeline.SAMPLE_RATE ? pcm : upsample(pcm));
    }

    private static short[] upsample(short[] pcm8k) {
        Upsampler8kTo24k upsampler = new Upsampler8kTo24k();
        short[] out = new short[pcm8k.length * CallTimeline.SAMPLES_PER_RTP_UNIT];
        upsampler.process(pcm8k, 0, pcm8k.length, out, 0);
        return out;
    }

    /** Length in ms. */
    public long durationMs() {
        return CallTimeline.samplesToMs(samples.length);
    }
}
