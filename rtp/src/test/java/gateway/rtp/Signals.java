package gateway.rtp;

/** Test signal generation and measurement. */
final class Signals {

    private Signals() {
    }

    static short[] sine(double frequency, double sampleRate, double amplitude, int length) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return s;
    }

    /**
     * Least-squares fit of a·cos + b·sin at {@code frequency} over x[from, to); returns {amplitude, a, b}.
     * Exact for a pure tone of that frequency whatever the number of cycles in the window.
     */
    static double[] fit(short[] x, int from, int to, double frequency, double sampleRate) {
        double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double c = Math.cos(w), s = Math.sin(w);
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

    /** RMS of x[from, to) after removing the fitted tone at frequency. */
    static double residualRms(short[] x, int from, int to, double frequency, double sampleRate) {
        double[] f = fit(x, from, to, frequency, sampleRate);
        double sum = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double e = x[i] - f[1] * Math.cos(w) - f[2] * Math.sin(w);
            sum += e * e;
        }
        return Math.sqrt(sum / (to - from));
    }

    static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Goertzel power at one frequency. */
    static double goertzel(short[] x, int from, int to, double frequency, double sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** Frequency with the most Goertzel power among step, 2·step, … up to max. */
    static double dominantFrequency(short[] x, int from, int to, double sampleRate, double step, double max) {
        double best = 0, bestPower = -1;
        for (double f = step; f <= max; f += step) {
            double p = goertzel(x, from, to, f, sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
