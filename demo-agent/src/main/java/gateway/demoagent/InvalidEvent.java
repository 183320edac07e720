package gateway.demoagent;

/**
 * A client event the agent refuses: it answers with an {@code error} event of this code, message and param
 * (docs/realtime-protocol.md §4), and the session goes on.
 */
final class InvalidEvent extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final String param;

    InvalidEvent(String code, String param, String message) {
        super(message, null, false, false);
        this.code = code;
        this.param = param;
    }

    String code() {
        return code;
    }

    String param() {
        return param;
    }
}
