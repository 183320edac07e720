package gateway.sip;

/**
 * One framed message before parsing; {@code framingError} is non-null when the TCP framer could not delimit it
 * (then {@code data} holds the header section only and the connection is closed after the answer).
 */
record RawSipMessage(byte[] data, SipPeer peer, FramingError framingError) {

    /** Why a stream could not be framed, and the status that says so (400, or 513 for a message too large). */
    record FramingError(int status, String reason) {
    }
}
