package gateway.rtp;

/**
 * Designs a linear-phase low-pass FIR by windowing the ideal sinc with a Kaiser window (computed once at class load).
 */
final class KaiserLowpass {

    /** Terms of the I0 power series; the series has converged to float precision well before this for β ≤ 12. */
    private static final int BESSEL_TERMS = 40;

    private KaiserLowpass() {
    }

    /**
     * Coefficients of an odd-length low-pass normalised to unity gain at DC.
     *
     * @param taps     filter length (odd, so the group delay is a whole number of samples)
     * @param cutoff   cut-off as a fraction of the sample rate (0.5 = Nyquist)
     * @param beta     Kaiser window shape parameter
     */
    static double[] design(int taps, double cutoff, double beta) {
        if (taps % 2 == 0) {
            throw new IllegalArgumentException("taps must be odd: " + taps);
        }
        double[] h = new double[taps];
        int middle = (taps - 1) / 2;
        double i0Beta = besselI0(beta);
        double sum = 0;
        for (int n = 0; n < taps; n++) {
            int m = n - middle;
            double sinc = m == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            double r = (double) m / middle;
            double window = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            h[n] = sinc * window;
            sum += h[n];
        }
        for (int n = 0; n < taps; n++) {
            h[n] /= sum;
        }
        return h;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double halfX = x / 2;
        for (int k = 1; k < BESSEL_TERMS; k++) {
            term *= (halfX / k) * (halfX / k);
            sum += term;
        }
        return sum;
    }
}
