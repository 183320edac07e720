package gateway.rtp;

import java.util.Arrays;

/**
 * 8 kHz → 24 kHz polyphase windowed-sinc interpolator ({@link ResamplingFilter}). Keeps the last input samples
 * between calls, so consecutive frames join without a seam. Allocation-free; not thread-safe (one per stream,
 * used on the call's event loop).
 */
public final class Upsampler8kTo24k {

    private static final int HISTORY = ResamplingFilter.TAPS_PER_PHASE;

    /** Input history stored twice (ring of HISTORY written at i and i + HISTORY) so a window is always contiguous. */
    private final float[] history = new float[2 * HISTORY];
    private int newest;

    /** Group delay added by this filter, in 24 kHz samples. */
    public static int delaySamples24k() {
        return ResamplingFilter.DELAY_24K;
    }

    /** Writes 3·inLen samples to out starting at outOff and returns that count. */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        float[][] phases = ResamplingFilter.POLYPHASE;
        float[] h = history;
        int o = outOff;
        for (int i = 0; i < inLen; i++) {
            newest = newest == 0 ? HISTORY - 1 : newest - 1;
            float x = in[inOff + i];
            h[newest] = x;
            h[newest + HISTORY] = x;
            for (int p = 0; p < ResamplingFilter.FACTOR; p++) {
                float[] c = phases[p];
                float acc = 0f;
                for (int k = 0; k < HISTORY; k++) {
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
