package gateway.sip;

/** RFC 3261 §17.1.1.1 / Table 4 timer values, in nanoseconds. */
final class SipTimers {

    /** RTT estimate. */
    static final long T1 = 500_000_000L;
    /** Maximum retransmit interval for non-INVITE requests and INVITE responses. */
    static final long T2 = 4_000_000_000L;
    /** Maximum time a message stays in the network (timers I and K on UDP). */
    static final long T4 = 5_000_000_000L;
    /** Timers B, F, H, J and the 2xx give-up of §13.3.1.4: 64*T1 = 32 s. */
    static final long TIMEOUT = 64 * T1;

    private SipTimers() {
    }
}
