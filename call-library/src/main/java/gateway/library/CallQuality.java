package gateway.library;

import java.util.List;

/**
 * What the call's media was like, as call.json's {@code quality} block gives it: the caller's RTP stream as the
 * gateway received it (RFC 3550 counts; what the jitter buffer waited and the concealment filled), the round trip
 * and the caller's view of our stream from RTCP, an E-model estimate of the caller's leg (ITU-T G.107, simplified
 * for G.711 with concealment) and the stretches where caller audio was concealed. Times in milliseconds; a
 * measurement that was never made is null.
 *
 * @param packetsReceived   RTP packets from the caller
 * @param packetsSent       RTP packets to the caller
 * @param packetsExpected   caller packets its sequence numbers promised
 * @param packetsLost       expected minus received (RFC 3550 §6.4.1; packets that came late count as received)
 * @param packetsLate       packets that came after their place had been concealed
 * @param packetsDuplicated packets that came twice
 * @param concealedMs       caller audio concealed because its packets did not come in time
 * @param jitterMs          RFC 3550 interarrival jitter of the caller's stream, averaged over its packets
 * @param jitterMaxMs       its highest value
 * @param rttMs             round-trip time from RTCP (RFC 3550 §6.4.1, LSR and DLSR), averaged; null without
 * @param rttMaxMs          its highest value; null without
 * @param jitterBufferMs    mean time a caller packet waited in the jitter buffer
 * @param streamRestarts    times the caller's stream started afresh (a new SSRC, or jumps in its numbering or clock)
 * @param remote            the caller's last RTCP report about our stream; null if it sent none
 * @param rFactor           E-model rating R of the caller's leg; null without caller audio
 * @param mos               the mean opinion score R gives (G.107 Annex B); null without caller audio
 * @param loss              where caller audio was concealed, in recording time
 */
public record CallQuality(long packetsReceived, long packetsSent, long packetsExpected, long packetsLost,
                          long packetsLate, long packetsDuplicated, long concealedMs, double jitterMs,
                          double jitterMaxMs, Double rttMs, Double rttMaxMs, double jitterBufferMs,
                          long streamRestarts, RemoteReport remote, Double rFactor, Double mos,
                          List<LossStretch> loss) {

    public CallQuality {
        loss = loss == null ? List.of() : List.copyOf(loss);
    }

    /**
     * What the caller last reported (RTCP RR or SR report block) about the gateway's stream.
     *
     * @param reports             report blocks about our stream received during the call
     * @param fractionLostPercent the last one's fraction lost, in percent
     * @param packetsLost         its cumulative number of packets lost
     * @param jitterMs            its interarrival jitter
     */
    public record RemoteReport(long reports, double fractionLostPercent, long packetsLost, double jitterMs) {
    }

    /** A stretch of recording time where {@code packets} caller packets were concealed. */
    public record LossStretch(long startMs, long endMs, long packets) {

        public LossStretch {
            if (startMs < 0 || endMs < startMs || packets < 0) {
                throw new IllegalArgumentException("bad loss stretch: " + startMs + "-" + endMs + ", " + packets);
            }
        }
    }
}
