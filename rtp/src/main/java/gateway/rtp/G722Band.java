package gateway.rtp;

import java.util.Arrays;

/**
 * The adaptive state of one G.722 sub-band (ITU-T G.722 §3.5–§3.6, blocks 3 and 4): the scale factor and its
 * logarithm, and the pole-zero predictor (two poles, six zeros) with its histories. The encoder and the decoder each
 * keep one per band and update it with the same quantised difference, which is what keeps them in step. 16-bit
 * arithmetic as in the recommendation: sums saturate, products are shifted down by 15 bits.
 */
final class G722Band {

    /** The scale factor table ILB (§3.5.3): 2048·2^(i/32), the mantissa of the linear scale factor. */
    private static final int[] ILB = {
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    };
    /** Zeros of the predictor. */
    private static final int ZEROS = 6;
    /** Leak factors of the adaptation: 1 − 2^-8 and 1 − 2^-7 (×32768). */
    private static final int LEAK_8 = 32640;
    private static final int LEAK_7 = 32512;
    /** Step of the zero coefficients' sign-sign adaptation, 2^-7 (×16384). */
    private static final int ZERO_STEP = 128;
    /** Steps of the pole coefficients' adaptation (§3.6.4: 3·2^-8 for a1, 2^-7 for a2, ×32768 and ×16384). */
    private static final int POLE1_STEP = 192;
    private static final int POLE2_STEP = 128;
    /** Stability limits of the poles (§3.6.4): |a2| ≤ 0.75, |a1| ≤ 1 − 2^-4 − a2 (×16384). */
    private static final int POLE2_LIMIT = 12288;
    private static final int POLE1_BOUND = 15360;
    /** Reconstructed signals are limited to 15 bits. */
    private static final int SIGNAL_MAX = 16383;
    private static final int SIGNAL_MIN = -16384;

    private final int initialScale;
    /** The scale factor's exponent at log scale 0: 8 for the lower band, 10 for the higher (so DET starts at 32, 8). */
    private final int scaleShift;
    private final int logScaleMax;
    /** The linear scale factor DET and its logarithm NB. */
    private int scale;
    private int logScale;
    /** b1..b6 and the quantised differences d1..d6 they weigh (index 0 unused). */
    private final int[] zero = new int[ZEROS + 1];
    private final int[] difference = new int[ZEROS + 1];
    private int pole1;
    private int pole2;
    /** The last two partially reconstructed and reconstructed signals. */
    private int partial1;
    private int partial2;
    private int signal1;
    private int signal2;
    /** The zero section's estimate SZ and the whole estimate S. */
    private int zeroEstimate;
    private int estimate;

    private G722Band(int initialScale, int scaleShift, int logScaleMax) {
        this.initialScale = initialScale;
        this.scale = initialScale;
        this.scaleShift = scaleShift;
        this.logScaleMax = logScaleMax;
    }

    /** The lower band: scale factor 32 at reset, log scale limited to 18432 (§3.5.2, §6.1). */
    static G722Band lower() {
        return new G722Band(32, 8, 18432);
    }

    /** The higher band: scale factor 8 at reset, log scale limited to 22528. */
    static G722Band higher() {
        return new G722Band(8, 10, 22528);
    }

    /** Back to the reset state of §6.1: all zero but the scale factor. */
    void reset() {
        scale = initialScale;
        logScale = 0;
        Arrays.fill(zero, 0);
        Arrays.fill(difference, 0);
        pole1 = 0;
        pole2 = 0;
        partial1 = 0;
        partial2 = 0;
        signal1 = 0;
        signal2 = 0;
        zeroEstimate = 0;
        estimate = 0;
    }

    /** The signal estimate S for the next sample. */
    int estimate() {
        return estimate;
    }

    /** The linear scale factor DET for the next sample. */
    int scale() {
        return scale;
    }

    /** Dequantises {@code level} (a table value ×32768 of the normalised level) with the current scale factor. */
    int dequantize(int level) {
        return (scale * level) >> 15;
    }

    /** The estimate plus a dequantised difference, limited to 15 bits: the band's reconstructed signal. */
    int reconstruct(int difference) {
        return limit(estimate + difference);
    }

    /**
     * Moves on by one sample: the log scale factor by {@code logStep} (§3.5.2: leak 127/128, limited to 0 and the
     * band's maximum) and its linear value (§3.5.3), then the predictor with the quantised difference {@code dq}.
     */
    void update(int logStep, int dq) {
        logScale = Math.clamp(((logScale * 127) >> 7) + logStep, 0, logScaleMax);
        int mantissa = ILB[(logScale >> 6) & 31];
        int shift = scaleShift - (logScale >> 11);
        scale = (shift >= 0 ? mantissa >> shift : mantissa << -shift) << 2;
        adapt(dq);
    }

    /** §3.6: updates the zeros and poles with {@code dq}, shifts the histories and forms the next estimates. */
    private void adapt(int dq) {
        int partial = saturate(dq + zeroEstimate);
        int signal = limit(estimate + dq);
        int step = dq == 0 ? 0 : ZERO_STEP;
        for (int i = 1; i <= ZEROS; i++) {
            int same = (dq ^ difference[i]) >= 0 ? step : -step;
            zero[i] = ((zero[i] * LEAK_8) >> 15) + same;
        }
        System.arraycopy(difference, 1, difference, 2, ZEROS - 1);
        difference[1] = dq;
        boolean sameAs1 = (partial ^ partial1) >= 0;
        boolean sameAs2 = (partial ^ partial2) >= 0;
        int f = saturate(pole1 * 4);
        int next2 = ((sameAs1 ? -f : f) >> 7) + (sameAs2 ? POLE2_STEP : -POLE2_STEP) + ((pole2 * LEAK_7) >> 15);
        pole2 = Math.clamp(next2, -POLE2_LIMIT, POLE2_LIMIT);
        int next1 = (sameAs1 ? POLE1_STEP : -POLE1_STEP) + ((pole1 * LEAK_8) >> 15);
        int bound = POLE1_BOUND - pole2;
        pole1 = Math.clamp(next1, -bound, bound);
        partial2 = partial1;
        partial1 = partial;
        signal2 = signal1;
        signal1 = signal;
        int sz = 0;
        for (int i = 1; i <= ZEROS; i++) {
            sz = saturate(sz + ((saturate(2 * difference[i]) * zero[i]) >> 15));
        }
        zeroEstimate = sz;
        int sp = saturate(((saturate(2 * signal1) * pole1) >> 15) + ((saturate(2 * signal2) * pole2) >> 15));
        estimate = saturate(sp + sz);
    }

    static int saturate(int value) {
        return Math.clamp(value, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private static int limit(int value) {
        return Math.clamp(value, SIGNAL_MIN, SIGNAL_MAX);
    }
}
