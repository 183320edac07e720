package gateway.rtp;

/**
 * Per-call packet counters. Written only on the call's event loop (single writer), readable from any thread
 * (volatile), so increments need no lock.
 */
final class RtpStats {
    volatile long packetsReceived;
    volatile long packetsSent;
    volatile long packetsLost;
    volatile long packetsDroppedLate;
    volatile long packetsIgnored;
    volatile long packetsBeforeStart;
    volatile long packetsNotReceiving;
    volatile long malformed;
    volatile long ticksSkipped;
    volatile long sendsBusy;
    volatile long sendsNoRemote;
    /** Arrival time of the packet being handled; read and written on the loop only. */
    long lastReceiveNanos;
}
