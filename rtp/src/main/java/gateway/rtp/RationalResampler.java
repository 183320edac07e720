package gateway.rtp;

import java.util.Arrays;

/**
 * A rational resampler between 16 and 24 kHz: up by {@code up}, through the {@link ResamplingFilter#WIDEBAND}
 * low-pass at 48 kHz, down by {@code down}, evaluated polyphase (only the outputs kept, only the non-zero inputs).
 * 16 → 24 kHz is up 3, down 2; 24 → 16 kHz is up 2, down 3. Keeps the filter history between calls, so consecutive
 * frames join without a seam. Allocation-free; not thread-safe (one per stream, used on the call's event loop).
 */
public final class RationalResampler {

    /** Inputs remembered: a power of two above the longest polyphase branch (61 taps). */
    private static final int HISTORY = 64;
    private static final int MASK = HISTORY - 1;

    private final int up;
    private final int down;
    /** branches[p][i] = up·h[p + i·up]: the taps output phase p applies to the newest input and the ones before. */
    private final float[][] branches;
    private final float[] history = new float[HISTORY];
    private int newest;
    /** The next output's position past the newest input, in 48 kHz samples (0 ≤ next once an input is in). */
    private int next;

    private RationalResampler(int up, int down) {
        this.up = up;
        this.down = down;
        float[] h = ResamplingFilter.WIDEBAND;
        int length = (h.length + up - 1) / up;
        branches = new float[up][length];
        for (int p = 0; p < up; p++) {
            for (int i = 0; i < length; i++) {
                int n = p + i * up;
                branches[p][i] = n < h.length ? up * h[n] : 0f;
            }
        }
        next = up;
    }

    /** 16 kHz → 24 kHz: three outputs per two inputs. */
    public static RationalResampler up16kTo24k() {
        return new RationalResampler(3, 2);
    }

    /** 24 kHz → 16 kHz: two outputs per three inputs. */
    public static RationalResampler down24kTo16k() {
        return new RationalResampler(2, 3);
    }

    /** Group delay, in 24 kHz samples (30, a whole number at 16 kHz too: 20). */
    public static int delaySamples24k() {
        return (ResamplingFilter.WIDEBAND_TAPS - 1) / 4;
    }

    /**
     * Resamples {@code inLen} inputs to {@code out} from {@code outOff}; returns the outputs written: exactly
     * inLen·up/down when every call's length is a multiple of {@code down} (the 20 ms frames are).
     */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        int written = 0;
        for (int i = 0; i < inLen; i++) {
            newest = (newest + 1) & MASK;
            history[newest] = in[inOff + i];
            next -= up;
            while (next < up) {
                out[outOff + written++] = ResamplingFilter.saturate(branch(branches[next]));
                next += down;
            }
        }
        return written;
    }

    private float branch(float[] taps) {
        float sum = 0f;
        float[] x = history;
        int at = newest;
        for (float tap : taps) {
            sum += tap * x[at];
            at = (at - 1) & MASK;
        }
        return sum;
    }

    /** Forgets the history, as if silence had been playing forever. */
    public void reset() {
        Arrays.fill(history, 0f);
        next = up;
    }
}
