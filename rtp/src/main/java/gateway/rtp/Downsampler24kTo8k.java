package gateway.rtp;

import java.util.Arrays;

/**
 * 24 kHz → 8 kHz decimator: the {@link ResamplingFilter} low-pass evaluated only at every third input sample.
 * Keeps the filter history between calls, so consecutive frames join without a seam; that history is all an
 * instance holds, the block's sums and copied inputs are the thread's ({@link RtpScratch}). Allocation-free once the
 * thread has its scratch; not thread-safe (one per stream, used on the call's event loop).
 *
 * <p>Loop shape: output j is Σₖ h[k]·x[3j − k]. The input is split into three lines by phase, line r holding
 * x[3t − r] for consecutive t (its last {@code PHASE_TAPS − 1} values, then the block's), so tap k reads line k mod 3
 * at offset −⌊k/3⌋ with unit stride. Six taps at a time, the inputs each sees are copied to index 0 of their own
 * array and one pass adds the six taps to the whole block ({@link ResamplingFilter#multiplyAdd6}, which the JIT
 * turns into SIMD), so the sums are loaded and stored once per six taps. Each output still adds its taps in
 * ascending order, one rounding after each, so the output is the same whatever the block size, and the same as a
 * per-sample loop.
 *
 * <p>Digital silence, which is what the agent's side plays between replies, costs a scan and no filtering once the
 * history has come to rest (all zeros): every product is then zero, so the output is zeros and the history stays at
 * rest. The first silent input after sound is filtered as usual, so the filter's tail rings out exactly.
 */
public final class Downsampler24kTo8k {

    private static final int FACTOR = ResamplingFilter.FACTOR;
    private static final int TAPS = ResamplingFilter.TAPS;
    /** Taps that fall on one phase line (h is zero-padded to a multiple of 3). */
    private static final int PHASE_TAPS = ResamplingFilter.TAPS_PER_PHASE;
    /** Offset of t = 0 on a phase line: room for the PHASE_TAPS − 1 earlier values. */
    private static final int ORIGIN = PHASE_TAPS - 1;
    /** Outputs per pass: 20 ms at 8 kHz (480 inputs), so a frame's sums stay in the L1 cache. */
    static final int BLOCK = 160;

    /**
     * lines[r][ORIGIN + t] = x[3t − r] within the current block; lines 1 and 2 also hold t = BLOCK (the next x[−r]).
     */
    private final float[][] lines = new float[FACTOR][ORIGIN + BLOCK + 1];
    /** The history the next block reads is all zeros, as at the start. */
    private boolean atRest = true;
    /** Taps per pass over the block. */
    static final int GROUP = 6;

    /** Group delay added by this filter, in 24 kHz samples. */
    public static int delaySamples24k() {
        return ResamplingFilter.DELAY_24K;
    }

    /**
     * Writes inLen/3 samples to out starting at outOff and returns that count.
     *
     * @throws IllegalArgumentException if inLen is not a multiple of 3 (the phase would be lost between calls)
     */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        if (inLen % FACTOR != 0) {
            throw new IllegalArgumentException("input length must be a multiple of 3: " + inLen);
        }
        int outputs = inLen / FACTOR;
        if (atRest && ResamplingFilter.silent(in, inOff, inLen)) {
            Arrays.fill(out, outOff, outOff + outputs, (short) 0);
            return outputs;
        }
        RtpScratch scratch = RtpScratch.current();
        for (int done = 0; done < outputs; done += BLOCK) {
            processBlock(in, inOff + FACTOR * done, Math.min(BLOCK, outputs - done), out, outOff + done,
                    scratch.downSums, scratch.downShifted);
        }
        atRest = ResamplingFilter.silent(lines[0], ORIGIN) && ResamplingFilter.silent(lines[1], ORIGIN + 1)
                && ResamplingFilter.silent(lines[2], ORIGIN + 1);
        return outputs;
    }

    /**
     * Filters one block, its sums in {@code s}; {@code x} takes the inputs six consecutive taps see, each copied to
     * index 0 (see {@link ResamplingFilter#multiplyAdd6}).
     */
    private void processBlock(short[] in, int inOff, int n, short[] out, int outOff, float[] s, float[][] x) {
        float[] l0 = lines[0];
        float[] l1 = lines[1];
        float[] l2 = lines[2];
        for (int t = 0, i = inOff; t < n; t++, i += FACTOR) {
            l0[ORIGIN + t] = in[i];          // x[3t]
            l2[ORIGIN + t + 1] = in[i + 1];  // x[3(t + 1) − 2]
            l1[ORIGIN + t + 1] = in[i + 2];  // x[3(t + 1) − 1]
        }
        Arrays.fill(s, 0, n, 0f);
        float[] h = ResamplingFilter.COEFFICIENTS;
        int k = 0;
        for (; k + GROUP <= TAPS; k += GROUP) {
            for (int g = 0; g < GROUP; g++) {
                System.arraycopy(lines[(k + g) % FACTOR], ORIGIN - (k + g) / FACTOR, x[g], 0, n);
            }
            ResamplingFilter.multiplyAdd6(s, h, k, x, n);
        }
        for (; k < TAPS; k++) {
            System.arraycopy(lines[k % FACTOR], ORIGIN - k / FACTOR, x[0], 0, n);
            ResamplingFilter.multiplyAdd(s, h[k], x[0], n);
        }
        ResamplingFilter.saturate(s, n, out, outOff);
        System.arraycopy(l0, n, l0, 0, ORIGIN);
        System.arraycopy(l1, n, l1, 0, ORIGIN + 1);
        System.arraycopy(l2, n, l2, 0, ORIGIN + 1);
    }

    /**
     * Whether the history is all zeros: then digital silence in gives zeros out and leaves the filter as it is, so a
     * caller that knows its input is silence may skip {@link #process}.
     */
    boolean atRest() {
        return atRest;
    }

    /** Forgets the history, as if silence had been playing forever. */
    public void reset() {
        for (float[] line : lines) {
            Arrays.fill(line, 0f);
        }
        atRest = true;
    }
}
