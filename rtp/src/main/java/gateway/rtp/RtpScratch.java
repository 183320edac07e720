package gateway.rtp;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The resamplers' scratch arrays, one set per thread: arrays written and read within one call of their user,
 * holding nothing from one call to the next. A call's media runs on one event loop for its whole life, so the set
 * of the loop serves all its calls, where each resampler held its own (4.6 KB each), and stays in the loop's cache.
 * A user takes the set once per entry point ({@link #current}: a {@link FastThreadLocal}, an array index on Netty's
 * threads); the first use on a thread allocates it, nothing after.
 *
 * <p>Re-entrancy: each user has arrays of its own, so two users clash only if one of them runs while another user
 * of the same arrays, on the same thread, is between writing and reading them:
 * <ul>
 *   <li>The resamplers' arrays are float, so no frame handed to a resampler (short) is one of them, and are used
 *   only inside {@code process}, which calls nothing but {@link ResamplingFilter}.</li>
 * </ul>
 */
final class RtpScratch {

    private static final FastThreadLocal<RtpScratch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected RtpScratch initialValue() {
            return new RtpScratch();
        }
    };

    /** {@link Upsampler8kTo24k}: the three phases' sums of a block, and the inputs four taps see. */
    final float[][] upSums = new float[ResamplingFilter.FACTOR][Upsampler8kTo24k.BLOCK];
    final float[][] upShifted = new float[ResamplingFilter.GROUP][Upsampler8kTo24k.BLOCK];

    /** {@link Downsampler24kTo8k}: a block's sums, and the inputs six taps see. */
    final float[] downSums = new float[Downsampler24kTo8k.BLOCK];
    final float[][] downShifted = new float[Downsampler24kTo8k.GROUP][Downsampler24kTo8k.BLOCK];

    private RtpScratch() {
    }

    /** This thread's set. */
    static RtpScratch current() {
        return CURRENT.get();
    }
}
