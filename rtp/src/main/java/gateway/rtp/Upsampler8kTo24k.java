package gateway.rtp;

import java.util.Arrays;

/**
 * 8 kHz → 24 kHz polyphase windowed-sinc interpolator ({@link ResamplingFilter}). Keeps the last input samples
 * between calls, so consecutive frames join without a seam; that history is all an instance holds, the block's sums
 * and copied inputs are the thread's ({@link RtpScratch}). Allocation-free once the thread has its scratch; not
 * thread-safe (one per stream, used on the call's event loop).
 *
 * <p>Loop shape: the input sits on a linear line (the last {@code TAPS_PER_PHASE − 1} inputs, then the block).
 * Four taps at a time, the inputs each sees are copied to index 0 of their own array, and one pass over the block
 * adds the four taps to all three phases' sums ({@link ResamplingFilter#multiplyAdd4x3}, which the JIT turns into
 * SIMD): each copied input is read once for the three phases, and the sums are loaded and stored once per four taps.
 * Each output still adds its taps in the same order (newest input first), one rounding after each, so the output is
 * the same whatever the block size, and the same as a per-sample loop.
 *
 * <p>Digital silence from the caller (an idle line or a muted phone sending G.711 zeros) costs a scan and no
 * filtering once the history has come to rest (all zeros), as in {@link Downsampler24kTo8k}: every product is zero.
 * The first silent input after sound is filtered as usual, so the tail rings out exactly.
 */
public final class Upsampler8kTo24k {

    private static final int FACTOR = ResamplingFilter.FACTOR;
    private static final int TAPS = ResamplingFilter.TAPS_PER_PHASE;
    /** Inputs carried from one block to the next: the filter's reach into the past. */
    private static final int KEEP = TAPS - 1;
    /** How many past inputs an output depends on: {@link #prime} with that many makes a fresh filter take over. */
    public static final int HISTORY = KEEP;
    /** Inputs filtered per pass: 20 ms at 8 kHz, so a frame's sums stay in the L1 cache. */
    static final int BLOCK = 160;

    private final float[] line = new float[KEEP + BLOCK];
    /** The history the next block reads is all zeros, as at the start. */
    private boolean atRest = true;

    /** Group delay added by this filter, in 24 kHz samples. */
    public static int delaySamples24k() {
        return ResamplingFilter.DELAY_24K;
    }

    /** Writes 3·inLen samples to out starting at outOff and returns that count. */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        if (atRest && ResamplingFilter.silent(in, inOff, inLen)) {
            Arrays.fill(out, outOff, outOff + FACTOR * inLen, (short) 0);
            return FACTOR * inLen;
        }
        RtpScratch scratch = RtpScratch.current();
        for (int done = 0; done < inLen; done += BLOCK) {
            processBlock(in, inOff + done, Math.min(BLOCK, inLen - done), out, outOff + FACTOR * done,
                    scratch.upSums, scratch.upShifted, scratch.upInterleaved);
        }
        atRest = ResamplingFilter.silent(line, KEEP);
        return FACTOR * inLen;
    }

    /**
     * Filters one block, the three phases' sums in {@code sums}; {@code x} takes the inputs four consecutive taps
     * see, each copied to index 0 (see {@link ResamplingFilter#multiplyAdd4x3}). The sums are interleaved in output
     * order into {@code interleaved} and rounded from there in one contiguous pass; rounding them in the interleaving
     * loop, three strided stores per input, ran about twice as long.
     */
    private void processBlock(short[] in, int inOff, int n, short[] out, int outOff, float[][] sums, float[][] x,
                              float[] interleaved) {
        float[] l = line;
        for (int i = 0; i < n; i++) {
            l[KEEP + i] = in[inOff + i];
        }
        float[] s0 = sums[0];
        float[] s1 = sums[1];
        float[] s2 = sums[2];
        Arrays.fill(s0, 0, n, 0f);
        Arrays.fill(s1, 0, n, 0f);
        Arrays.fill(s2, 0, n, 0f);
        float[][] c = ResamplingFilter.POLYPHASE;
        int k = 0;
        for (; k + ResamplingFilter.GROUP <= TAPS; k += ResamplingFilter.GROUP) {
            for (int g = 0; g < ResamplingFilter.GROUP; g++) {
                System.arraycopy(l, KEEP - k - g, x[g], 0, n);
            }
            ResamplingFilter.multiplyAdd4x3(s0, s1, s2, c, k, x[0], x[1], x[2], x[3], n);
        }
        for (; k < TAPS; k++) {
            System.arraycopy(l, KEEP - k, x[0], 0, n);
            ResamplingFilter.multiplyAdd(s0, c[0][k], x[0], n);
            ResamplingFilter.multiplyAdd(s1, c[1][k], x[0], n);
            ResamplingFilter.multiplyAdd(s2, c[2][k], x[0], n);
        }
        for (int i = 0, o = 0; i < n; i++, o += FACTOR) {
            interleaved[o] = s0[i];
            interleaved[o + 1] = s1[i];
            interleaved[o + 2] = s2[i];
        }
        ResamplingFilter.saturate(interleaved, FACTOR * n, out, outOff);
        System.arraycopy(l, n, l, 0, KEEP);
    }

    /**
     * Sets the history to {@code in[inOff, inOff + inLen)} (the inputs just before the next block; fewer than
     * {@link #HISTORY} are preceded by silence), as if they had been processed: the next outputs are then sample for
     * sample those of a filter that did process them.
     */
    public void prime(short[] in, int inOff, int inLen) {
        int n = Math.min(inLen, KEEP);
        Arrays.fill(line, 0, KEEP - n, 0f);
        for (int i = 0; i < n; i++) {
            line[KEEP - n + i] = in[inOff + inLen - n + i];
        }
        atRest = ResamplingFilter.silent(line, KEEP);
    }

    /** Forgets the history, as if silence had been playing forever. */
    public void reset() {
        Arrays.fill(line, 0f);
        atRest = true;
    }
}
