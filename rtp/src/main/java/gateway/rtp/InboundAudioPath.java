package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns validated RTP audio packets (the {@link RtpReceiveHandler} has filtered them by payload type) into 24 kHz
 * audio on the call's timeline: sequence tracking (RFC 3550 Appendix A.1 idea), position from timestamps, silence
 * for lost packets, G.711 decode with the negotiated codec, and up-sampling.
 *
 * <p>Position rule: the first packet after {@link #start} is placed by its arrival time; every later packet by
 * its RTP timestamp relative to the first (×3 for 8 → 24 kHz), so network jitter does not move audio. A new SSRC
 * re-anchors the same way, never before the end of what was already delivered. Packets older than or equal to
 * the last one played are dropped. Holes in the timeline (lost packets, or a sender pausing) of up to
 * {@link #MAX_GAP_FILL_SAMPLES_24K} are delivered as silence frames the size of the previous packet so the
 * stream to the model stays continuous; longer holes are left as a jump in position.
 *
 * <p>{@link #onPacket} is called on the call's event loop only; {@link #start} may be called from any thread.
 * Allocation-free per packet. Whatever the listener throws goes up to the handler, whose session then stops.
 */
final class InboundAudioPath {

    /** Longest hole filled with silence: 1 s (50 packets of 20 ms); beyond it the sender restarted or paused. */
    static final int MAX_GAP_FILL_SAMPLES_24K = CallTimeline.SAMPLE_RATE;
    /** Largest slice of 8 kHz payload decoded in one go (60 ms); longer payloads are delivered in several calls. */
    static final int CHUNK_8K = 480;

    private final MediaListener listener;
    private final RtpStats stats;
    private final Upsampler8kTo24k upsampler = new Upsampler8kTo24k();
    private final short[] pcm8k = new short[CHUNK_8K];
    private final short[] pcm24k = new short[CHUNK_8K * CallTimeline.SAMPLES_PER_RTP_UNIT];

    /** Set by {@link #start} from any thread, so packets the loop reads right after start() are not dropped. */
    private volatile boolean started;
    private volatile long answerNanos;
    private boolean anchored;
    private long ssrc;
    private int lastSequence;
    private long lastTimestamp;
    /** Timestamp of the last packet relative to the anchor packet, unwrapped. */
    private long timestampSinceAnchor;
    private long anchorPosition;
    private long endPosition;
    private int lastPacketSamples8k = RtpPacketizer.FRAME_8K;

    InboundAudioPath(MediaListener listener, RtpStats stats) {
        this.listener = listener;
        this.stats = stats;
    }

    /** Sets the answer instant, position 0; packets before this are dropped. */
    void start(long answerNanos) {
        this.answerNanos = answerNanos;
        this.started = true;
    }

    /** Handles one audio packet that passed {@link RtpPacket#check}, its payload encoded with {@code codec}. */
    void onPacket(ByteBuf buf, int off, int len, G711 codec, long arrivalNanos) {
        if (!started) {
            stats.packetsBeforeStart++;
            return;
        }
        int sequence = RtpPacket.sequence(buf, off);
        long timestamp = RtpPacket.timestamp(buf, off);
        long packetSsrc = RtpPacket.ssrc(buf, off);
        long position;
        if (!anchored || packetSsrc != ssrc) {
            long arrivalPosition = Math.max(0, CallTimeline.nanosToSamples(arrivalNanos - answerNanos));
            anchorPosition = anchored ? Math.max(arrivalPosition, endPosition) : arrivalPosition;
            anchored = true;
            ssrc = packetSsrc;
            timestampSinceAnchor = 0;
            position = anchorPosition;
            endPosition = position;
        } else {
            int gap = SequenceNumbers.difference(sequence, lastSequence);
            if (gap <= 0) {
                stats.packetsDroppedLate++;
                return;
            }
            stats.packetsLost += gap - 1;
            timestampSinceAnchor += (int) (timestamp - lastTimestamp);
            position = anchorPosition + CallTimeline.rtpUnitsToSamples(timestampSinceAnchor);
            fillSilence(position);
        }
        lastSequence = sequence;
        lastTimestamp = timestamp;
        int payloadOffset = RtpPacket.payloadOffset(buf, off);
        int payloadLength = RtpPacket.payloadLength(buf, off, len);
        for (int done = 0; done < payloadLength; ) {
            int n = Math.min(CHUNK_8K, payloadLength - done);
            for (int i = 0; i < n; i++) {
                pcm8k[i] = codec.decode(buf.getByte(payloadOffset + done + i));
            }
            deliver(n, position + CallTimeline.rtpUnitsToSamples(done));
            done += n;
        }
        if (payloadLength > 0) {
            lastPacketSamples8k = Math.min(payloadLength, CHUNK_8K);
        }
        endPosition = Math.max(endPosition, position + CallTimeline.rtpUnitsToSamples(payloadLength));
    }

    private void fillSilence(long until) {
        long hole = until - endPosition;
        if (hole <= 0 || hole > MAX_GAP_FILL_SAMPLES_24K) {
            return;
        }
        long at = endPosition;
        while (at < until) {
            int n = (int) Math.min(lastPacketSamples8k, (until - at) / CallTimeline.SAMPLES_PER_RTP_UNIT);
            if (n == 0) {
                return;
            }
            Arrays.fill(pcm8k, 0, n, (short) 0);
            deliver(n, at);
            at += CallTimeline.rtpUnitsToSamples(n);
        }
        endPosition = at;
    }

    private void deliver(int samples8k, long position) {
        int n = upsampler.process(pcm8k, 0, samples8k, pcm24k, 0);
        listener.onCallerAudio(pcm24k, 0, n, position);
    }
}
