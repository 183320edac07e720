package gateway.sip;

/** Call events, invoked on the SIP event loop (must not block). */
public interface CallListener {

    /** The ACK for our 2xx arrived: media may start. */
    void onAck();

    /** The caller hung up; we already answered 200 to the BYE. */
    void onRemoteBye();

    /** The caller cancelled before we answered; we sent 200 to the CANCEL and 487 to the INVITE. */
    void onCancel();

    /** No ACK came within 64*T1 of our 2xx; the server sends BYE itself right after this callback. */
    void onAckTimeout();

    /** The dialog is gone for any reason; called exactly once, always last. */
    void onTerminated();

    /** A listener that ignores every event. */
    CallListener NONE = new CallListener() {
        @Override public void onAck() { }
        @Override public void onRemoteBye() { }
        @Override public void onCancel() { }
        @Override public void onAckTimeout() { }
        @Override public void onTerminated() { }
    };
}
