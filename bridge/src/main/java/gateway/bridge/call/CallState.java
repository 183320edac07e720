package gateway.bridge.call;

/**
 * Where a call is. The legs (SIP dialog, media, Realtime sessions, recording) have states of their own; this is the
 * call's, owned by {@link Call} and changed only through its transitions.
 */
enum CallState {
    /** Ringing: the media port and the first Realtime session are being opened (connect before answer). */
    CONNECTING,
    /** Media and recording run; the 200 OK is on its way and the SIP layer has not yet said it left. */
    ANSWERING,
    /** Answered, audio flows both ways. */
    TALKING,
    /** Answered, and the caller holds the call (RFC 3264 §8.4): no audio goes either way, silence is recorded. */
    HELD,
    /** Over: legs closed, BYE sent if it was ours to send; the recording may still be being written. */
    ENDED;

    /** True once the gateway decided to answer and before the end: the recording timeline runs. */
    boolean answered() {
        return this == ANSWERING || this == TALKING || this == HELD;
    }

    boolean over() {
        return this == ENDED;
    }
}
