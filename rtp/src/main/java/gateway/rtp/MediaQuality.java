package gateway.rtp;

import java.util.List;

/**
 * What one call's media was like, as the gateway measured it: the caller's stream (RFC 3550 counts, what the
 * jitter buffer and the concealment did), the round trip and the caller's view of our stream from RTCP, and an
 * E-model estimate ({@link EModel}). Times in milliseconds; −1 where nothing was measured.
 *
 * @param packetsReceived   valid RTP packets from the caller (any payload type)
 * @param packetsSent       RTP packets sent to the caller
 * @param packetsExpected   caller packets expected from the sequence numbers (RFC 3550 A.3)
 * @param packetsLost       expected minus received (late packets count as received)
 * @param packetsLate       packets that came after their place was concealed
 * @param packetsDuplicated packets received twice
 * @param concealedMs       caller audio concealed because its packets did not come in time
 * @param jitterMs          RFC 3550 interarrival jitter, averaged over the call's packets
 * @param jitterMaxMs       its highest value
 * @param rttMs             round-trip time from RTCP (LSR/DLSR), averaged; −1 without any
 * @param rttMaxMs          its highest value; −1 without any
 * @param bufferMs          mean time a caller packet waited in the jitter buffer (0 for those that went straight on)
 * @param streamRestarts    times the caller's stream started afresh (new SSRC, jumps in numbering or clock)
 * @param remote            what the caller's RTCP reported about our stream; null if it sent none
 * @param rFactor           E-model rating R
 * @param mos               the mean opinion score R gives
 * @param losses            where caller audio was concealed
 */
public record MediaQuality(long packetsReceived, long packetsSent, long packetsExpected, long packetsLost,
                           long packetsLate, long packetsDuplicated, long concealedMs, double jitterMs,
                           double jitterMaxMs, double rttMs, double rttMaxMs, double bufferMs, long streamRestarts,
                           Remote remote, double rFactor, double mos, List<Loss> losses) {

    public MediaQuality {
        losses = List.copyOf(losses);
    }

    /**
     * The caller's last RTCP report about our stream.
     *
     * @param reports      report blocks about our stream received
     * @param fractionLost the last one's fraction lost, in percent
     * @param packetsLost  its cumulative number lost
     * @param jitterMs     its interarrival jitter
     */
    public record Remote(long reports, double fractionLost, long packetsLost, double jitterMs) {
    }

    /** A stretch of the call's timeline (24 kHz positions) where {@code packets} caller packets were concealed. */
    public record Loss(long startPosition, long endPosition, long packets) {
    }
}
