package gateway.bridge.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Signal measurements for the end-to-end tests: level, speech activity, alignment with a reference. */
final class Signals {

    /** The coarse alignment search runs on every {@value}th sample, then is refined at full rate around its best. */
    private static final int COARSE_STEP = 4;

    private Signals() {
    }

    /** A span of activity in milliseconds from the start of the signal. */
    record Segment(long startMs, long endMs) {
        long lengthMs() {
            return endMs - startMs;
        }
    }

    /** Where a reference best lines up inside a signal: {@code reference[0]} falls on {@code signal[lag]}. */
    record Match(int lag, double score) {
        double lagMs(int sampleRate) {
            return lag * 1000.0 / sampleRate;
        }
    }

    /** Root mean square of {@code s[from, to)} (0 for an empty range). */
    static double rms(short[] s, int from, int to) {
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

    /** RMS of {@code s} between two times in milliseconds. */
    static double rmsMs(short[] s, int sampleRate, long fromMs, long toMs) {
        return rms(s, (int) (fromMs * sampleRate / 1000), (int) (toMs * sampleRate / 1000));
    }

    /** RMS per consecutive window of {@code window} samples (a last partial window is dropped). */
    static double[] rmsWindows(short[] s, int window) {
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
    static List<Segment> activity(short[] s, int sampleRate, int windowMs, double threshold, long mergeGapMs) {
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

    /** Normalised cross-correlation of {@code reference} against {@code signal} starting at {@code lag}. */
    static double correlationAt(short[] signal, short[] reference, int lag) {
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
    static Match bestMatch(short[] signal, short[] reference, int minLag, int maxLag) {
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

    /** Decodes G.711 μ-law with the JDK's codec, as an independent reference. */
    static short[] decodeUlaw(byte[] encoded) throws IOException {
        return decode(encoded, AudioFormat.Encoding.ULAW);
    }

    /** Decodes G.711 A-law with the JDK's codec, as an independent reference. */
    static short[] decodeAlaw(byte[] encoded) throws IOException {
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

    /** Linear-interpolation resampling (good enough for a correlation reference). */
    static short[] resampleLinear(short[] in, int fromRate, int toRate) {
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

    /** The first {@code ms} milliseconds of {@code s}. */
    static short[] head(short[] s, int sampleRate, long ms) {
        return java.util.Arrays.copyOf(s, (int) Math.min(s.length, ms * sampleRate / 1000));
    }
}
