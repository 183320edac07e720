package gateway.rtp;

import java.util.Arrays;

/**
 * The quadrature mirror filters of G.722 (ITU-T G.722 §3.2 transmit, §4.4 receive): the 24-tap prototype, which
 * splits 16 kHz audio into a lower and a higher 8 kHz band and joins them again. The coefficients are the
 * recommendation's ×8192.
 */
final class G722Qmf {

    static final int TAPS = 24;
    private static final int[] H = {
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
    };
    /** Transmit: the two partial sums over 16-bit input ×8192, halved into 15-bit band signals. */
    private static final int SPLIT_SHIFT = 14;
    /** Receive: ×2 for the zeros between the band samples, ÷8192 for the coefficients. */
    private static final int JOIN_SHIFT = 11;

    /** Transmit history, newest first: x(j), x(j−1), … */
    private final int[] input = new int[TAPS];
    /** Receive histories, newest first: the bands' difference and sum. */
    private final int[] differences = new int[TAPS / 2];
    private final int[] sums = new int[TAPS / 2];
    private int lower;
    private int higher;

    /** Forgets both histories. */
    void reset() {
        Arrays.fill(input, 0);
        Arrays.fill(differences, 0);
        Arrays.fill(sums, 0);
    }

    /** Splits two consecutive samples (first, then second); read the bands with {@link #lower}, {@link #higher}. */
    void split(int first, int second) {
        System.arraycopy(input, 0, input, 2, TAPS - 2);
        input[1] = first;
        input[0] = second;
        int even = 0;
        int odd = 0;
        for (int i = 0; i < TAPS; i += 2) {
            even += H[i] * input[i];
            odd += H[i + 1] * input[i + 1];
        }
        lower = (even + odd) >> SPLIT_SHIFT;
        higher = (even - odd) >> SPLIT_SHIFT;
    }

    int lower() {
        return lower;
    }

    int higher() {
        return higher;
    }

    /** Joins one sample of each band into two 16 kHz samples, written to {@code out} at {@code off}. */
    void join(int lowerBand, int higherBand, short[] out, int off) {
        System.arraycopy(differences, 0, differences, 1, TAPS / 2 - 1);
        System.arraycopy(sums, 0, sums, 1, TAPS / 2 - 1);
        differences[0] = lowerBand - higherBand;
        sums[0] = lowerBand + higherBand;
        int first = 0;
        int second = 0;
        for (int i = 0; i < TAPS / 2; i++) {
            first += H[2 * i] * differences[i];
            second += H[2 * i + 1] * sums[i];
        }
        out[off] = (short) G722Band.saturate(first >> JOIN_SHIFT);
        out[off + 1] = (short) G722Band.saturate(second >> JOIN_SHIFT);
    }
}
