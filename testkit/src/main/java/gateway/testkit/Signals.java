package gateway.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Test audio, written independently of the gateway's own DSP: generation (sines, tones, silence), measurement
 * (level, activity, alignment, tone fits, spectra) and reference conversions (G.711 decoding with the JDK's codec,
 * linear resampling). Samples are 16-bit PCM in {@code short[]}; ranges are {@code [from, to)} sample indexes.
 */
public final class Signals {

    /** The Realtime API's rate, used by {@link #silence} and {@link #tone}. */
    public static final int REALTIME_RATE = 24_000;
    /** The coarse alignment search runs on every {@value}th sample, then is refined at full rate around its best. */
    private static final int COARSE_STEP = 4;

    private Signals() {
    }

    /** A span of activity in milliseconds from the start of the signal. */
    public record Segment(long startMs, long endMs) {
        public long lengthMs() {
            return endMs - startMs;
        }
    }

    /** Where a reference best lines up inside a signal: {@code reference[0]} falls on {@code signal[lag]}. */
    public record Match(int lag, double score) {
        public double lagMs(int sampleRate) {
            return lag * 1000.0 / sampleRate;
        }
    }

    // ---------------------------------------------------------------- generation

    /** {@code length} samples of a sine of {@code frequency} Hz starting at phase 0. */
    public static short[] sine(double frequency, double sampleRate, double amplitude, int length) {
        return sine(frequency, sampleRate, amplitude, 0, length);
    }

    /**
     * Samples {@code [from, from + length)} of a sine of {@code frequency} Hz that has phase 0 at sample 0: the next
     * stretch of a tone that goes on across packets.
     */
    public static short[] sine(double frequency, double sampleRate, double amplitude, long from, int length) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * (from + i) / sampleRate));
        }
        return s;
    }

    /** {@code ms} milliseconds of silence at {@link #REALTIME_RATE}. */
    public static short[] silence(int ms) {
        return new short[samples(ms)];
    }

    /** {@code ms} milliseconds of a sine at {@code dbfs} (0 = full scale) at {@link #REALTIME_RATE}, phase 0. */
    public static short[] tone(int ms, double hz, double dbfs) {
        return sine(hz, REALTIME_RATE, 32767 * Math.pow(10, dbfs / 20), samples(ms));
    }

    /** The parts one after the other. */
    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The first {@code ms} milliseconds of {@code s}. */
    public static short[] head(short[] s, int sampleRate, long ms) {
        return Arrays.copyOf(s, (int) Math.min(s.length, ms * sampleRate / 1000));
    }

    private static int samples(int ms) {
        return ms * (REALTIME_RATE / 1000);
    }

    // ---------------------------------------------------------------- the stereo test pattern

    /**
     * Sample {@code position} of the caller channel of the stereo test pattern. The two channels are different
     * ramps and neither repeats a sample from one position to the next, so a swapped, shifted or dropped channel
     * shows.
     */
    public static short callerPattern(long position) {
        return (short) (position * 31 % 20_000 - 10_000);
    }

    /** Sample {@code position} of the assistant channel of the stereo test pattern. */
    public static short assistantPattern(long position) {
        return (short) (12_000 - position * 17 % 24_000);
    }

    /** Takes one write of both channels of the pattern: {@code length} samples at {@code position}. */
    @FunctionalInterface
    public interface PatternSink {
        void write(long position, short[] caller, short[] assistant, int length);
    }

    /**
     * Hands both channels of the pattern for positions {@code [from, to)} to {@code sink} in writes of {@code tick}
     * samples, as a live call writes its legs; the arrays are reused from one write to the next.
     */
    public static void writePattern(long from, long to, int tick, PatternSink sink) {
        short[] caller = new short[tick];
        short[] assistant = new short[tick];
        for (long p = from; p < to; p += tick) {
            int length = (int) Math.min(tick, to - p);
            for (int i = 0; i < length; i++) {
                caller[i] = callerPattern(p + i);
                assistant[i] = assistantPattern(p + i);
            }
            sink.write(p, caller, assistant, length);
        }
    }

    // ---------------------------------------------------------------- level and activity

    /** Root mean square of {@code s[from, to)}, clipped to the signal (0 for an empty range). */
    public static double rms(short[] s, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(s.length, to);
        if (b <= a) {
            return 0;
        }
        double sum = 0;
        for (int i = a; i < b; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (b - a));
    }

    /**
     * The largest step between neighbouring samples of {@code s[from, to)}, clipped to the signal: a click shows as a
     * step larger than the signal's own largest.
     */
    public static int maxStep(short[] s, int from, int to) {
        int max = 0;
        for (int i = Math.max(1, from); i < Math.min(s.length, to); i++) {
            max = Math.max(max, Math.abs(s[i] - s[i - 1]));
        }
        return max;
    }

    /** RMS of {@code s} between two times in milliseconds. */
    public static double rmsMs(short[] s, int sampleRate, long fromMs, long toMs) {
        return rms(s, (int) (fromMs * sampleRate / 1000), (int) (toMs * sampleRate / 1000));
    }

    /** RMS per consecutive window of {@code window} samples (a last partial window is dropped). */
    public static double[] rmsWindows(short[] s, int window) {
        double[] out = new double[s.length / window];
        for (int w = 0; w < out.length; w++) {
            out[w] = rms(s, w * window, (w + 1) * window);
        }
        return out;
    }

    /**
     * Spans where the RMS over {@code windowMs} windows exceeds {@code threshold}; spans separated by less than
     * {@code mergeGapMs} of quiet are joined (pauses between words).
     */
    public static List<Segment> activity(short[] s, int sampleRate, int windowMs, double threshold, long mergeGapMs) {
        int window = sampleRate * windowMs / 1000;
        double[] levels = rmsWindows(s, window);
        List<Segment> raw = new ArrayList<>();
        int start = -1;
        for (int w = 0; w <= levels.length; w++) {
            boolean loud = w < levels.length && levels[w] > threshold;
            if (loud && start < 0) {
                start = w;
            } else if (!loud && start >= 0) {
                raw.add(new Segment((long) start * windowMs, (long) w * windowMs));
                start = -1;
            }
        }
        List<Segment> merged = new ArrayList<>();
        for (Segment seg : raw) {
            if (!merged.isEmpty() && seg.startMs() - merged.get(merged.size() - 1).endMs() < mergeGapMs) {
                Segment last = merged.remove(merged.size() - 1);
                merged.add(new Segment(last.startMs(), seg.endMs()));
            } else {
                merged.add(seg);
            }
        }
        return merged;
    }

    /** A ratio in decibels (amplitude: 20·log10). */
    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    // ---------------------------------------------------------------- alignment

    /** Normalised cross-correlation of {@code reference} against {@code signal} starting at {@code lag}. */
    public static double correlationAt(short[] signal, short[] reference, int lag) {
        return correlationAt(signal, reference, lag, 1);
    }

    private static double correlationAt(short[] signal, short[] reference, int lag, int step) {
        double dot = 0;
        double es = 0;
        double er = 0;
        int from = Math.max(0, -lag);
        int to = Math.min(reference.length, signal.length - lag);
        for (int i = from; i < to; i += step) {
            double x = signal[lag + i];
            double r = reference[i];
            dot += x * r;
            es += x * x;
            er += r * r;
        }
        return es == 0 || er == 0 ? 0 : dot / Math.sqrt(es * er);
    }

    /**
     * The lag in {@code [minLag, maxLag]} with the highest normalised cross-correlation, found by a coarse search on
     * decimated lags and samples followed by a full-rate search around the coarse best.
     */
    public static Match bestMatch(short[] signal, short[] reference, int minLag, int maxLag) {
        int coarseLag = minLag;
        double coarseBest = Double.NEGATIVE_INFINITY;
        for (int lag = minLag; lag <= maxLag; lag += COARSE_STEP) {
            double score = correlationAt(signal, reference, lag, COARSE_STEP / 2);
            if (score > coarseBest) {
                coarseBest = score;
                coarseLag = lag;
            }
        }
        Match best = new Match(coarseLag, Double.NEGATIVE_INFINITY);
        int from = Math.max(minLag, coarseLag - 4 * COARSE_STEP);
        int to = Math.min(maxLag, coarseLag + 4 * COARSE_STEP);
        for (int lag = from; lag <= to; lag++) {
            double score = correlationAt(signal, reference, lag, 1);
            if (score > best.score()) {
                best = new Match(lag, score);
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- tones and spectra

    /**
     * Least-squares fit of a·cos + b·sin at {@code frequency} over x[from, to); returns {amplitude, a, b}.
     * Exact for a pure tone of that frequency whatever the number of cycles in the window.
     */
    public static double[] fit(short[] x, int from, int to, double frequency, double sampleRate) {
        double cc = 0;
        double ss = 0;
        double cs = 0;
        double xc = 0;
        double xs = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double c = Math.cos(w);
            double s = Math.sin(w);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            xc += x[i] * c;
            xs += x[i] * s;
        }
        double det = cc * ss - cs * cs;
        double a = (xc * ss - xs * cs) / det;
        double b = (xs * cc - xc * cs) / det;
        return new double[] {Math.hypot(a, b), a, b};
    }

    /** RMS of x[from, to) after removing the fitted tone at {@code frequency}. */
    public static double residualRms(short[] x, int from, int to, double frequency, double sampleRate) {
        double[] f = fit(x, from, to, frequency, sampleRate);
        double sum = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double e = x[i] - f[1] * Math.cos(w) - f[2] * Math.sin(w);
            sum += e * e;
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Goertzel power of x[from, to) at one frequency. */
    public static double goertzel(short[] x, int from, int to, double frequency, double sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** The frequency with the most Goertzel power among step, 2·step, … up to max. */
    public static double dominantFrequency(short[] x, int from, int to, double sampleRate, double step, double max) {
        double best = 0;
        double bestPower = -1;
        for (double f = step; f <= max; f += step) {
            double p = goertzel(x, from, to, f, sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- reference conversions

    /** Decodes 8 kHz G.711 μ-law with the JDK's codec, as a reference independent of the gateway's tables. */
    public static short[] decodeUlaw(byte[] encoded) throws IOException {
        return decode(encoded, AudioFormat.Encoding.ULAW);
    }

    /** Decodes 8 kHz G.711 A-law with the JDK's codec, as a reference independent of the gateway's tables. */
    public static short[] decodeAlaw(byte[] encoded) throws IOException {
        return decode(encoded, AudioFormat.Encoding.ALAW);
    }

    private static short[] decode(byte[] encoded, AudioFormat.Encoding encoding) throws IOException {
        AudioFormat source = new AudioFormat(encoding, 8000, 8, 1, 1, 8000, false);
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(pcm,
                new AudioInputStream(new ByteArrayInputStream(encoded), source, encoded.length))) {
            byte[] bytes = in.readAllBytes();
            short[] out = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
            return out;
        }
    }

    /** Linear-interpolation resampling: good enough for a correlation reference, not for measuring a filter. */
    public static short[] resampleLinear(short[] in, int fromRate, int toRate) {
        int n = (int) ((long) in.length * toRate / fromRate);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double pos = (double) i * fromRate / toRate;
            int k = (int) pos;
            double frac = pos - k;
            double a = in[Math.min(k, in.length - 1)];
            double b = in[Math.min(k + 1, in.length - 1)];
            out[i] = (short) Math.round(a + (b - a) * frac);
        }
        return out;
    }
}
