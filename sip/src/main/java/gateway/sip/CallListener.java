package gateway.sip;

/** Call events, invoked on the SIP event loop (must not block). */
public interface CallListener {

    /** The ACK for our 2xx arrived: media may start. */
    void onAck();

    /**
     * The session's media changed: the caller's answer arrived in the ACK of a late offer, or the gateway answered
     * a re-INVITE or UPDATE offer (hold, resume, a new address or codec; RFC 3264 §8, RFC 3311), in which case
     * the new media applies from the moment that 2xx left. Not called for a refresh that changes nothing.
     */
    void onMediaChanged(NegotiatedMedia media);

    /**
     * The ACK of a late offer carried no acceptable answer (RFC 3264 §6): the call has no media and should be
     * ended with {@link InboundCall#hangup()}.
     */
    void onMediaFailed(String reason);

    /** The caller hung up; we already answered 200 to the BYE. */
    void onRemoteBye();

    /** The caller cancelled before we answered; we sent 200 to the CANCEL and 487 to the INVITE. */
    void onCancel();

    /** No ACK came within 64*T1 of our 2xx; the server sends BYE itself right after this callback. */
    void onAckTimeout();

    /**
     * The caller pressed a key, sent in an INFO ({@code application/dtmf-relay} or {@code application/dtmf}); we
     * already answered 200. The default ignores it.
     *
     * @param durationMs how long the key was held, 0 when the INFO did not say
     */
    default void onInfoDigit(char digit, int durationMs) {
    }

    /** The dialog is gone for any reason; called exactly once, always last. */
    void onTerminated();

    /** A listener that ignores every event. */
    CallListener NONE = new CallListener() {
        @Override public void onAck() { }
        @Override public void onMediaChanged(NegotiatedMedia media) { }
        @Override public void onMediaFailed(String reason) { }
        @Override public void onRemoteBye() { }
        @Override public void onCancel() { }
        @Override public void onAckTimeout() { }
        @Override public void onTerminated() { }
    };
}
