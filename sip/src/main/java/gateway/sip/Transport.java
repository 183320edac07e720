package gateway.sip;

/** SIP transports we serve (RFC 3261 §18, §26.2 for TLS over TCP). */
enum Transport {
    UDP, TCP, TLS;

    /** True when the transport itself retransmits (RFC 3261 §17: timers A/E/G are skipped then). */
    boolean reliable() {
        return this != UDP;
    }

    /** The value of a URI's transport parameter and of the Via transport (RFC 3261 §19.1.1, §20.42). */
    String uriParameter() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The transport a URI's transport parameter names, null for none or one we do not serve (e.g. sctp). */
    static Transport ofUriParameter(String parameter) {
        for (Transport transport : values()) {
            if (transport.uriParameter().equalsIgnoreCase(parameter)) {
                return transport;
            }
        }
        return null;
    }
}
