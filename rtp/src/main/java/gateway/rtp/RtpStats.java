package gateway.rtp;

/**
 * Per-call packet counters. Written only on the call's event loop (single writer), readable from any thread
 * (volatile), so increments need no lock.
 */
final class RtpStats {
    volatile long packetsReceived;
    volatile long packetsSent;
    /** Payload bytes sent (RFC 3550 §6.4.1 sender's octet count). */
    volatile long octetsSent;
    /** Packets lost as RFC 3550 counts them: expected minus received (late ones count as received). */
    volatile long packetsLost;
    /** Packets that arrived after their place in the stream was concealed. */
    volatile long packetsDroppedLate;
    volatile long packetsDuplicated;
    volatile long packetsIgnored;
    volatile long packetsBeforeStart;
    volatile long packetsNotReceiving;
    volatile long malformed;
    volatile long ticksSkipped;
    volatile long sendsBusy;
    volatile long sendsNoRemote;
    /** Audio concealed for packets that did not come in time, in 8 kHz RTP units. */
    volatile long concealedUnits;
    /** Time packets waited in the jitter buffer, summed (0 for packets that went straight through). */
    volatile long heldNanos;
    /** Times the caller's stream started afresh: a new SSRC, or its numbering or clock jumped. */
    volatile long streamRestarts;
    volatile long rtcpReceived;
    volatile long rtcpSent;
    /** Arrival time of the packet being handled; read and written on the loop only. */
    long lastReceiveNanos;
    /** When the caller last sent RTP or RTCP; loop only. */
    long lastActivityNanos;
}
