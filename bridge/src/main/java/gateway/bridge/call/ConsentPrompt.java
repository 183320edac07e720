package gateway.bridge.call;

import gateway.library.WavCodec;
import gateway.library.WavLayout;
import gateway.rtp.Upsampler8kTo24k;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recording-consent announcement ("this call is recorded …") played to every caller before the agent speaks,
 * and recorded on the assistant channel like anything else the caller hears. Loaded once at start from a PCM16 mono
 * WAV at 8 kHz (telephone quality, up-sampled with the media path's own filter) or 24 kHz, read by the recording
 * format's {@link WavCodec}.
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

    /** Reads {@code file}; throws with a plain message when it is not a usable announcement. */
    public static ConsentPrompt load(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        WavLayout layout;
        try {
            layout = WavCodec.layout(bytes, bytes.capacity());
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (layout.channels() != 1) {
            throw new IOException(file + " must be 16-bit PCM mono, not " + layout.channels() + " channels");
        }
        int rate = layout.sampleRate();
        if (rate != CallTimeline.RTP_CLOCK_RATE && rate != CallTimeline.SAMPLE_RATE) {
            throw new IOException(file + " must be at 8000 or 24000 Hz, not " + rate);
        }
        if (layout.frames() == 0) {
            throw new IOException(file + " has no audio");
        }
        if (layout.frames() > (long) MAX_SECONDS * rate) {
            throw new IOException(file + " is longer than " + MAX_SECONDS + " s");
        }
        short[] pcm = WavCodec.channel(bytes, layout, 0);
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
