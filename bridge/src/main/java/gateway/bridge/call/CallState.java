package gateway.bridge.call;

/**
 * Where a call is: the one state that decides what the call does, owned by {@link Call} and changed only by its
 * transitions. Audio in both directions is gated by it ({@link #audioFlows}). The legs (SIP dialog, media, Realtime
 * sessions, recording) keep states of their own.
 *
 * <pre>
 *  CONNECTING ──183──► EARLY_MEDIA ──the prompt played, the session is ready──► ANSWERING
 *  CONNECTING ──answer──► ANSWERING ◄──re-INVITE/UPDATE──► ANSWERING_HELD
 *                             │ the 200 OK went out                │ the 200 OK went out
 *                             ▼                                    ▼
 *                          TALKING ◄────── resume ─── hold ──────► HELD
 *
 *  end: CONNECTING, EARLY_MEDIA, TALKING, HELD ──► ENDED
 *       ANSWERING, ANSWERING_HELD ──► ENDING ──the 200 OK's fate is known──► ENDED
 * </pre>
 */
enum CallState {
    /** Ringing: the media port and the first Realtime session are being opened (connect before answer). */
    CONNECTING,
    /**
     * Early media (RFC 3960): the 183 with our SDP went out, the timeline, media and recording run and the consent
     * prompt plays; the caller's audio is recorded but goes nowhere, and no Realtime session is open until it ends.
     */
    EARLY_MEDIA,
    /** The 200 OK is on its way: the timeline, media and recording run, and audio flows both ways. */
    ANSWERING,
    /** The 200 OK is on its way, but the caller's offer holds the call (RFC 3264 §8.4): no audio either way yet. */
    ANSWERING_HELD,
    /** Answered, audio flows both ways. */
    TALKING,
    /** Answered, and the caller holds the call (RFC 3264 §8.4): no audio goes either way, silence is recorded. */
    HELD,
    /**
     * Over while the 200 OK was on its way: the legs are closed, and the recording waits to learn whether the 200
     * left (it is kept) or not (it is discarded).
     */
    ENDING,
    /** Over: legs closed, BYE sent if it was ours to send; the recording may still be being written. */
    ENDED;

    /** True once the gateway decided to answer and before the end: the recording timeline runs. */
    boolean answered() {
        return this == ANSWERING || this == ANSWERING_HELD || this == TALKING || this == HELD;
    }

    /** True while the 200 OK is on its way and the SIP layer has not yet said whether it left. */
    boolean answering() {
        return this == ANSWERING || this == ANSWERING_HELD;
    }

    /** True when the caller's audio goes to the model and the recording, and the agent's audio is played. */
    boolean audioFlows() {
        return this == ANSWERING || this == TALKING;
    }

    /** True before any final response: the call may still be refused (503, 302) rather than hung up. */
    boolean beforeAnswer() {
        return this == CONNECTING || this == EARLY_MEDIA;
    }

    boolean over() {
        return this == ENDING || this == ENDED;
    }
}
