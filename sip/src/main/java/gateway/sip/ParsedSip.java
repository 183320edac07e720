package gateway.sip;

/** A parsed message with where it came from; {@code closeAfter} asks to close a TCP connection after answering. */
record ParsedSip(ParseOutcome outcome, SipPeer peer, boolean closeAfter) {
}
