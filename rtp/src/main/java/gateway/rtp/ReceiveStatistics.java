package gateway.rtp;

import gateway.time.CallTimeline;

/**
 * What a receiver reports about one source (RFC 3550 §6.4.1 and Appendix A.3, A.8): the extended highest sequence
 * number, packets expected and received, the fraction lost since the last report, the cumulative number lost, the
 * interarrival jitter, and when the source's last sender report came. Sequence numbers are extended (64-bit) by the
 * caller. A new source (SSRC change, or a sender restarting its numbering) starts afresh; the packets the previous
 * ones lost stay in {@link #cumulativeLost()}. Call's loop only; allocation-free.
 */
final class ReceiveStatistics {

    private long ssrc;
    private long baseSequence;
    private long highestSequence;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    /** Jitter in RTP units, scaled by 16 (RFC 3550 A.8 keeps 4 fraction bits). */
    private long jitter16;
    private long maxJitter16;
    /** The jitter after each media packet, summed over the call (all sources), for its mean. */
    private long jitterSum16;
    private long jitterSamples;
    private long lastTransit;
    private boolean haveTransit;
    /** Packets lost by, and expected from, sources before this one. */
    private long lostBefore;
    private long expectedBefore;
    /** The middle 32 bits of the NTP timestamp of the source's last SR and when it arrived (RFC 3550 §6.4.1). */
    private long lastSenderReport;
    private long lastSenderReportNanos;
    private boolean haveSenderReport;
    private boolean active;

    /** A new source begins with extended sequence number {@code first}. */
    void restart(long newSsrc, long first) {
        if (active) {
            lostBefore += Math.max(0, lostNow());
            expectedBefore += expected();
        }
        active = true;
        ssrc = newSsrc;
        baseSequence = first;
        highestSequence = first - 1;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        jitter16 = 0;
        haveTransit = false;
        haveSenderReport = false;
    }

    /** A packet (not a duplicate) with extended sequence number {@code sequence} arrived. */
    void received(long sequence) {
        received++;
        if (sequence > highestSequence) {
            highestSequence = sequence;
        }
    }

    /**
     * Updates the interarrival jitter with a media packet (RFC 3550 A.8): the transit is the arrival time in RTP
     * units minus the packet's timestamp; J += (|D| − J) / 16 for the change D between consecutive packets.
     */
    void transit(long arrivalNanos, long extendedTimestamp) {
        long transit = CallTimeline.nanosToRtpUnits(arrivalNanos) - extendedTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter16 += d - ((jitter16 + 8) >> 4);
            maxJitter16 = Math.max(maxJitter16, jitter16);
            jitterSum16 += jitter16;
            jitterSamples++;
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** A sender report from this source: {@code ntpMiddle} is its NTP timestamp's middle 32 bits. */
    void senderReport(long ntpMiddle, long arrivalNanos) {
        lastSenderReport = ntpMiddle & 0xFFFF_FFFFL;
        lastSenderReportNanos = arrivalNanos;
        haveSenderReport = true;
    }

    boolean active() {
        return active;
    }

    long ssrc() {
        return ssrc;
    }

    /** The extended highest sequence number received (RFC 3550 §6.4.1), in 32 bits as the report carries it. */
    long extendedHighest() {
        return highestSequence & 0xFFFF_FFFFL;
    }

    long expected() {
        return highestSequence - baseSequence + 1;
    }

    long receivedPackets() {
        return received;
    }

    private long lostNow() {
        return expected() - received;
    }

    /** Packets expected from this source and those before it. */
    long cumulativeExpected() {
        return expectedBefore + expected();
    }

    /** Packets lost by this source and those before it (duplicates do not count as received, late packets do). */
    long cumulativeLost() {
        return lostBefore + lostNow();
    }

    /**
     * The fraction lost since the previous call, in 1/256 (RFC 3550 A.3), 0 when more arrived than expected; starts
     * the next interval.
     */
    int fractionLost() {
        long expectedInterval = expected() - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected();
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter in RTP timestamp units. */
    long jitter() {
        return jitter16 >> 4;
    }

    /** The interarrival jitter averaged over the call's packets so far, in RTP timestamp units. */
    double meanJitter() {
        return jitterSamples == 0 ? 0 : jitterSum16 / 16.0 / jitterSamples;
    }

    /** The highest interarrival jitter of the call so far, in RTP timestamp units. */
    long maxJitter() {
        return maxJitter16 >> 4;
    }

    /** LSR of a report block: the middle 32 bits of the last SR's NTP timestamp, 0 if none came. */
    long lastSenderReport() {
        return haveSenderReport ? lastSenderReport : 0;
    }

    /** DLSR of a report block at {@code nowNanos}: the delay since that SR in units of 1/65536 s, 0 if none came. */
    long delaySinceLastSenderReport(long nowNanos) {
        if (!haveSenderReport) {
            return 0;
        }
        return Math.min(0xFFFF_FFFFL, Math.max(0, (nowNanos - lastSenderReportNanos) * 65_536 / 1_000_000_000L));
    }
}
