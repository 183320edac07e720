package gateway.rtp;

import java.util.Arrays;

/**
 * 24 kHz → 8 kHz decimator: the {@link ResamplingFilter} low-pass evaluated only at every third input sample.
 * Keeps the filter history between calls, so consecutive frames join without a seam. Allocation-free; not
 * thread-safe (one per stream, used on the call's event loop).
 */
public final class Downsampler24kTo8k {

    private static final int TAPS = ResamplingFilter.TAPS;

    /** Input history stored twice (ring of TAPS written at i and i + TAPS) so a window is always contiguous. */
    private final float[] history = new float[2 * TAPS];
    private int newest;

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
        if (inLen % ResamplingFilter.FACTOR != 0) {
            throw new IllegalArgumentException("input length must be a multiple of 3: " + inLen);
        }
        float[] c = ResamplingFilter.COEFFICIENTS;
        float[] h = history;
        int o = outOff;
        for (int i = 0; i < inLen; i++) {
            newest = newest == 0 ? TAPS - 1 : newest - 1;
            float x = in[inOff + i];
            h[newest] = x;
            h[newest + TAPS] = x;
            if (i % ResamplingFilter.FACTOR == 0) {
                float acc = 0f;
                for (int k = 0; k < TAPS; k++) {
                    acc += c[k] * h[newest + k];
                }
                out[o++] = ResamplingFilter.saturate(acc);
            }
        }
        return o - outOff;
    }

    /** Forgets the history, as if silence had been playing forever. */
    public void reset() {
        Arrays.fill(history, 0f);
        newest = 0;
    }
}
