package gateway.sip;

/** SIP transports we serve (RFC 3261 §18). */
enum Transport {
    UDP, TCP;

    /** True when the transport itself retransmits (RFC 3261 §17: timers A/E/G are skipped then). */
    boolean reliable() {
        return this == TCP;
    }
}
