package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The audio paths' and resamplers' scratch arrays, one set per thread: arrays written and read within one call of
 * their user, holding nothing from one call to the next. A call's media runs on one event loop for its whole life,
 * so the set of the loop serves all its calls, where each call held its own (about 20 KB a G.711 call), and stays
 * in the loop's cache. A user takes the set once per entry point ({@link #current}: a {@link FastThreadLocal}, an
 * array index on Netty's threads); the first use on a thread allocates it, nothing after.
 *
 * <p>Re-entrancy: each user has arrays of its own, so two users clash only if one of them runs while another user
 * of the same arrays, on the same thread, is between writing and reading them:
 * <ul>
 *   <li>The resamplers' arrays are float, so no frame handed to a resampler (short) is one of them, and are used
 *   only inside {@code process}, which calls nothing but {@link ResamplingFilter}.</li>
 *   <li>The packetizer's are used only inside {@link RtpPacketizer#writePacket} and {@link RtpPacketizer#writeCodes},
 *   which call nothing but resamplers and codecs.</li>
 *   <li>The inbound path's frames are held across its {@link MediaListener} callbacks, the outbound path's across
 *   the listener's and the key sender's. A listener serves one call and reaches, on its loop, at most its own
 *   session: {@link RtpSession#playoutReady} runs that session's tick at once (inbound, then outbound, each with
 *   arrays of its own). Another call's paths run only from their own socket reads and pacer ticks, each its own
 *   task of the loop (a packet's due ticks run after the packet, {@link PacingWheel#runDue}), never inside this
 *   call's code. A path re-entered from its own listener finds the arrays it is using, as it did when they were its
 *   own fields.</li>
 * </ul>
 */
final class RtpScratch {

    private static final FastThreadLocal<RtpScratch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected RtpScratch initialValue() {
            return new RtpScratch();
        }
    };

    /** {@link Upsampler8kTo24k}: the three phases' sums of a block, the inputs four taps see, the sums in order. */
    final float[][] upSums = new float[ResamplingFilter.FACTOR][Upsampler8kTo24k.BLOCK];
    final float[][] upShifted = new float[ResamplingFilter.GROUP][Upsampler8kTo24k.BLOCK];
    final float[] upInterleaved = new float[ResamplingFilter.FACTOR * Upsampler8kTo24k.BLOCK];

    /** {@link Downsampler24kTo8k}: a block's sums, and the inputs six taps see. */
    final float[] downSums = new float[Downsampler24kTo8k.BLOCK];
    final float[][] downShifted = new float[Downsampler24kTo8k.GROUP][Downsampler24kTo8k.BLOCK];

    /** {@link InboundAudioPath}: a piece at the stream's rate (8 or 16 kHz), at 24 kHz, and in the agent's law. */
    final short[] inboundPcm = new short[2 * InboundAudioPath.CHUNK_8K];
    final short[] inboundPcm24k = new short[InboundAudioPath.CHUNK_8K * CallTimeline.SAMPLES_PER_RTP_UNIT];
    final byte[] inboundCodes = new byte[InboundAudioPath.CHUNK_8K];
    /** A G.722 piece taken down to 8 kHz, for an agent that takes G.711. */
    final short[] inboundPcm8k = new short[InboundAudioPath.CHUNK_8K];

    /** {@link OutboundAudioPath}: the tick's frame at 24 kHz, and the agent's octets. */
    final short[] outboundFrame = new short[RtpPacketizer.MAX_FRAME_24K];
    final byte[] outboundCodes = new byte[RtpPacketizer.MAX_FRAME_8K];

    /** {@link RtpPacketizer}: the frame at the codec's rate (8 or 16 kHz), and the payload. */
    final short[] packetizerPcm = new short[2 * RtpPacketizer.MAX_FRAME_8K];
    final byte[] packetizerPayload = new byte[RtpPacketizer.MAX_FRAME_8K];

    private RtpScratch() {
    }

    /** This thread's set. */
    static RtpScratch current() {
        return CURRENT.get();
    }
}
