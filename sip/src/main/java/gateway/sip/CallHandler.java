package gateway.sip;

/** Receives new inbound calls; invoked on the SIP event loop, so it must not block. */
@FunctionalInterface
public interface CallHandler {

    /**
     * A new INVITE whose SDP offer was acceptable, or that had none (a late offer); answer, ring or reject it
     * through {@code call}.
     */
    void onInvite(InboundCall call);
}
