package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Ffmpeg;
import gateway.testkit.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The G.722 codec against ffmpeg's, an independent implementation, both ways, and against itself: a wideband test
 * signal (tones in both sub-bands and a sweep to 7 kHz) encoded by one side and decoded by the other. What holds:
 * the same quality both ways as ffmpeg against itself and identical octets for silence. Not bit-exact on the test
 * signal: the octets agree for the first 23 ms and then differ now and then by one higher-band decision, after which
 * the adaptive states drift apart (without the ITU test vectors, which of the two follows the reference is open).
 */
class G722Test {

    private static final int RATE = 16_000;
    /** Delay of the transmit and receive QMFs together, in 16 kHz samples. */
    private static final int CODEC_DELAY = 22;
    /** How much worse than ffmpeg against itself a mixed pair may be, in dB. */
    private static final double TOLERANCE_DB = 1.5;

    /** One second of 440 Hz and 1.9 kHz (lower band) and 5.2 kHz (higher band), then a sweep from 100 Hz to 7 kHz. */
    static short[] wideband() {
        short[] s = new short[2 * RATE];
        for (int i = 0; i < RATE; i++) {
            double t = (double) i / RATE;
            s[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * t) + 4000 * Math.sin(2 * Math.PI * 1900 * t)
                    + 3000 * Math.sin(2 * Math.PI * 5200 * t));
        }
        double phase = 0;
        for (int i = RATE; i < 2 * RATE; i++) {
            double f = 100 + 6900.0 * (i - RATE) / RATE;
            phase += 2 * Math.PI * f / RATE;
            s[i] = (short) (9000 * Math.sin(phase));
        }
        return s;
    }

    /** Encodes in 20 ms packets with one encoder, as a stream does. */
    static byte[] encode(short[] pcm) {
        G722Encoder encoder = new G722Encoder();
        byte[] out = new byte[pcm.length / 2];
        for (int off = 0; off < pcm.length; off += 320) {
            assertEquals(160, encoder.encode(pcm, off, 320, out, off / 2));
        }
        return out;
    }

    /** Decodes 20 ms packets with one decoder. */
    static short[] decode(byte[] g722) {
        G722Decoder decoder = new G722Decoder();
        short[] out = new short[2 * g722.length];
        for (int off = 0; off < g722.length; off += 160) {
            assertEquals(320, decoder.decode(g722, off, 160, out, 2 * off));
        }
        return out;
    }

    /** Signal-to-noise ratio of {@code decoded} against {@code source} delayed by the codec, in dB. */
    static double snr(short[] source, short[] decoded) {
        double signal = 0;
        double noise = 0;
        for (int i = 400; i + CODEC_DELAY < decoded.length; i++) {
            double s = source[i];
            double e = decoded[i + CODEC_DELAY] - s;
            signal += s * s;
            noise += e * e;
        }
        return Signals.db(Math.sqrt(signal / noise));
    }

    @Test
    void roundTripKeepsAWidebandSignalAtTheQmfDelay() {
        short[] source = wideband();
        short[] decoded = decode(encode(source));
        double aligned = Signals.correlationAt(decoded, source, CODEC_DELAY);
        assertTrue(aligned > 0.99, "correlation at the codec's delay " + aligned);
        assertTrue(aligned > Signals.correlationAt(decoded, source, CODEC_DELAY - 1));
        assertTrue(aligned > Signals.correlationAt(decoded, source, CODEC_DELAY + 1));
        double snr = snr(source, decoded);
        assertTrue(snr > 20, "round trip SNR " + snr);
        double high = Signals.fit(decoded, 2000, RATE, 5200, RATE)[0];
        assertEquals(3000, high, 300, "the 5.2 kHz tone (higher band) survives at its level");
    }

    @Test
    void ffmpegDecodesWhatWeEncodeAsWellAsWhatItEncodes() throws Exception {
        short[] source = wideband();
        double reference = snr(source, Ffmpeg.decodeG722(Ffmpeg.encodeG722(source)));
        double snr = snr(source, Ffmpeg.decodeG722(encode(source)));
        assertTrue(snr > 20, "our encoder, ffmpeg's decoder: SNR " + snr);
        assertTrue(snr > reference - TOLERANCE_DB, "our encoder " + snr + " dB, ffmpeg's own " + reference + " dB");
    }

    @Test
    void weDecodeWhatFfmpegEncodesAsWellAsFfmpegDoes() throws Exception {
        short[] source = wideband();
        byte[] theirs = Ffmpeg.encodeG722(source);
        double reference = snr(source, Ffmpeg.decodeG722(theirs));
        double snr = snr(source, decode(theirs));
        assertTrue(snr > 20, "ffmpeg's encoder, our decoder: SNR " + snr);
        assertTrue(snr > reference - TOLERANCE_DB, "our decoder " + snr + " dB, ffmpeg's own " + reference + " dB");
    }

    @Test
    void silenceEncodesToTheSameOctetsAsFfmpegAndDecodesToSilence() throws Exception {
        short[] silence = new short[3200];
        byte[] ours = encode(silence);
        assertArrayEquals(Ffmpeg.encodeG722(silence), ours);
        short[] decoded = decode(ours);
        assertEquals(0, Signals.rms(decoded, 0, decoded.length), 2);
    }

    @Test
    void resetStartsAStreamAfreshAsANewEncoderWould() {
        short[] source = wideband();
        G722Encoder encoder = new G722Encoder();
        byte[] first = new byte[160];
        encoder.encode(source, 0, 320, first, 0);
        encoder.reset();
        byte[] again = new byte[160];
        encoder.encode(source, 0, 320, again, 0);
        assertArrayEquals(first, again);
        assertArrayEquals(Arrays.copyOf(encode(source), 160), again);
    }
}
