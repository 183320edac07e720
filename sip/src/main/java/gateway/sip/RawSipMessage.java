package gateway.sip;

/**
 * One framed message before parsing; {@code framingError} is non-null when the TCP framer could not delimit it
 * (then {@code data} holds the header section only and the connection is closed after the answer).
 */
record RawSipMessage(byte[] data, SipPeer peer, String framingError) {
}
