package gateway.rtp;

/**
 * The anti-imaging / anti-aliasing low-passes of the resamplers and their shared arithmetic: the 8 kHz ⇄ 24 kHz one
 * at 24 kHz (below), and the 16 kHz ⇄ 24 kHz one at their common 48 kHz rate ({@link #WIDEBAND}).
 *
 * <p>Design: Kaiser-windowed sinc, {@value #TAPS} taps, β = {@value #BETA}, cut-off 4 kHz (the 8 kHz Nyquist).
 * Passband 0–3.4 kHz (the telephone band), stopband from 4.6 kHz: an 8 kHz tone at f ≤ 3.4 kHz images to
 * 8 kHz − f ≥ 4.6 kHz when up-sampled, and a 24 kHz tone at f ≥ 4.6 kHz aliases to 8 kHz − f ≤ 3.4 kHz when
 * down-sampled, so the 1.2 kHz transition band keeps every image and alias that lands in the passband in the
 * stopband. Designed response: ripple below ±0.003 dB, stopband below −71 dB. (TAPS − 1) is a multiple of 6,
 * so each direction delays by a whole number of 8 kHz samples and a round trip is exactly 30 samples at 8 kHz.
 */
final class ResamplingFilter {

    /** Filter length at 24 kHz. */
    static final int TAPS = 91;
    /** Kaiser β: ≈ 72 dB side lobes for this length and transition band. */
    static final double BETA = 7.0;
    /** Up/down factor. */
    static final int FACTOR = 3;
    /** Cut-off as a fraction of 24 kHz: 4 kHz. */
    static final double CUTOFF = 4000.0 / 24000.0;
    /** The 16-bit sample range, as floats: the bounds outputs saturate to. */
    private static final float MIN_SAMPLE = Short.MIN_VALUE;
    private static final float MAX_SAMPLE = Short.MAX_VALUE;
    /** Group delay of one pass, in 24 kHz samples. */
    static final int DELAY_24K = (TAPS - 1) / 2;
    /** Taps per polyphase branch (the table is zero-padded to a multiple of the factor). */
    static final int TAPS_PER_PHASE = (TAPS + FACTOR - 1) / FACTOR;

    /**
     * The 16 kHz ⇄ 24 kHz low-pass at 48 kHz ({@link RationalResampler}): Kaiser-windowed sinc, cut-off 8 kHz (the
     * 16 kHz Nyquist), passband 0–7 kHz (G.722's band), stopband from 9 kHz, where every image and alias that could
     * land in the passband falls; 121 taps with β = 7 keep it below −70 dB. (taps − 1) / 2 = 60 is a whole number
     * of samples at 16 and at 24 kHz (20 and 30).
     */
    static final int WIDEBAND_TAPS = 121;
    static final double WIDEBAND_CUTOFF = 8000.0 / 48000.0;
    static final float[] WIDEBAND;

    /** The prototype filter, unity DC gain. */
    static final float[] COEFFICIENTS;
    /** POLYPHASE[p][k] = 3·h[3k + p]: branch p of the interpolator, gain-normalised for the 3× zero stuffing. */
    static final float[][] POLYPHASE = new float[FACTOR][TAPS_PER_PHASE];

    static {
        double[] wide = KaiserLowpass.design(WIDEBAND_TAPS, WIDEBAND_CUTOFF, BETA);
        WIDEBAND = new float[WIDEBAND_TAPS];
        for (int n = 0; n < WIDEBAND_TAPS; n++) {
            WIDEBAND[n] = (float) wide[n];
        }
        double[] h = KaiserLowpass.design(TAPS, CUTOFF, BETA);
        COEFFICIENTS = new float[TAPS];
        for (int n = 0; n < TAPS; n++) {
            COEFFICIENTS[n] = (float) h[n];
        }
        for (int p = 0; p < FACTOR; p++) {
            for (int k = 0; k < TAPS_PER_PHASE; k++) {
                int n = FACTOR * k + p;
                POLYPHASE[p][k] = n < TAPS ? (float) (FACTOR * h[n]) : 0f;
            }
        }
    }

    private ResamplingFilter() {
    }

    /**
     * {@code sums[i] += c·x[i]} for i &lt; n. Kept in this exact shape (both arrays from index 0) because that is the
     * shape JDK 17's C2 vectorises: with an offset on either array it cannot rule out that the two overlap and
     * falls back to scalar code, about half the speed; the resamplers therefore copy each tap's inputs to index 0
     * first (an intrinsic, vectorised copy).
     */
    static void multiplyAdd(float[] sums, float c, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            sums[i] += c * x[i];
        }
    }

    /** Taps applied per pass over a block by {@link #multiplyAdd4x3}. */
    static final int GROUP = 4;

    /**
     * The three interpolator phases' sums, {@code sp[i] += c[p][k]·x0[i]}, then taps k + 1, k + 2, k + 3 with x1, x2,
     * x3, for i &lt; n: {@link #multiplyAdd} four times per phase, in the same order with the same roundings, but each
     * input and sum is loaded once. Every array is read at index i only, the shape C2 vectorises.
     */
    static void multiplyAdd4x3(float[] s0, float[] s1, float[] s2, float[][] c, int k,
                               float[] x0, float[] x1, float[] x2, float[] x3, int n) {
        float a0 = c[0][k];
        float a1 = c[0][k + 1];
        float a2 = c[0][k + 2];
        float a3 = c[0][k + 3];
        float b0 = c[1][k];
        float b1 = c[1][k + 1];
        float b2 = c[1][k + 2];
        float b3 = c[1][k + 3];
        float d0 = c[2][k];
        float d1 = c[2][k + 1];
        float d2 = c[2][k + 2];
        float d3 = c[2][k + 3];
        for (int i = 0; i < n; i++) {
            float v0 = x0[i];
            float v1 = x1[i];
            float v2 = x2[i];
            float v3 = x3[i];
            s0[i] = s0[i] + a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
            s1[i] = s1[i] + b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
            s2[i] = s2[i] + d0 * v0 + d1 * v1 + d2 * v2 + d3 * v3;
        }
    }

    /**
     * {@code sums[i] += h[k]·x0[i]}, then taps k + 1 … k + 5 with x1 … x5, for i &lt; n: {@link #multiplyAdd} six
     * times, in the same order with the same roundings, but each sum is loaded and stored once.
     */
    static void multiplyAdd6(float[] sums, float[] h, int k, float[][] x, int n) {
        float c0 = h[k];
        float c1 = h[k + 1];
        float c2 = h[k + 2];
        float c3 = h[k + 3];
        float c4 = h[k + 4];
        float c5 = h[k + 5];
        float[] x0 = x[0];
        float[] x1 = x[1];
        float[] x2 = x[2];
        float[] x3 = x[3];
        float[] x4 = x[4];
        float[] x5 = x[5];
        for (int i = 0; i < n; i++) {
            sums[i] = sums[i] + c0 * x0[i] + c1 * x1[i] + c2 * x2[i] + c3 * x3[i] + c4 * x4[i] + c5 * x5[i];
        }
    }

    /** Whether {@code in[off, off + len)} is all zeros: digital silence, which a filter at rest passes as zeros. */
    static boolean silent(short[] in, int off, int len) {
        int any = 0;
        for (int i = off; i < off + len; i++) {
            any |= in[i];
        }
        return any == 0;
    }

    /** Whether {@code line[0, len)} is all zeros: a filter history at rest. */
    static boolean silent(float[] line, int len) {
        for (int i = 0; i < len; i++) {
            if (line[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rounds a filter output half up, as {@link Math#round(float)} does, and saturates it to 16 bits. Clamped first,
     * the value plus ½ is exact in double, so its floor is {@code Math.round}'s result for every float (NaN gives 0,
     * as there); checked over all 2³² bit patterns when written, and by {@code ResamplingFilterTest}. Unlike
     * {@code Math.round} and two branches it has no branch: a contiguous loop of it ({@link #saturate(float[], int,
     * short[], int)}) took 0.6–1.0 µs for a frame's 480 outputs on Temurin 25, where the old form took 1.3–2.0 µs.
     */
    static short saturate(float value) {
        return (short) (int) Math.floor((double) Math.max(MIN_SAMPLE, Math.min(MAX_SAMPLE, value)) + 0.5);
    }

    /**
     * {@code out[outOff + i] = saturate(sums[i])} for i &lt; n, in one contiguous pass (the output's offset costs
     * nothing here: a short array and a float array cannot be the same array).
     */
    static void saturate(float[] sums, int n, short[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = saturate(sums[i]);
        }
    }
}
