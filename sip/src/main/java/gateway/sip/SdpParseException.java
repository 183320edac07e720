package gateway.sip;

/** An SDP body that cannot be read (bad input from the remote side, not a programming error). */
final class SdpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    SdpParseException(String message) {
        super(message);
    }
}
