package gateway.library;

/** Where a call is in its life, as the store sees it. */
public enum CallStatus {
    /** No such call. */
    ABSENT,
    /** Its directory exists but call.json does not yet: recording, or left by a crash and not yet recovered. */
    IN_PROGRESS,
    /** call.json is in place: every file of the call is final. */
    FINISHED
}
