package gateway.sip;

/**
 * Why a request (or a TCP/TLS connection, for the last two) was refused before it became a call; the label is the one
 * {@code /metrics} counts it under.
 */
public enum Refusal {
    /** The source is not allowed to call: 403 Forbidden (or nothing, past the global answer budget). */
    SOURCE("source", "source not allowed"),
    /** The source sent more INVITEs than its bucket allows: dropped unanswered. */
    RATE_LIMITED("rate_limited", "rate limit"),
    /** The User-Agent is a known scanner's: dropped unanswered. */
    SCANNER("scanner", "scanner"),
    /** The source failed authentication too often lately: its INVITEs are dropped until its budget refills. */
    AUTH_RATE_LIMITED("auth_rate_limited", "too many failed authentications"),
    /** Wrong or unusable digest credentials: 403 Forbidden. */
    AUTH_FAILED("auth_failed", "authentication failed"),
    /** A nonce count used before: challenged again, the request refused. */
    REPLAYED("replayed", "replayed credentials"),
    /** A connection beyond the total or the source's cap ({@link ConnectionLimits}): closed as it is accepted. */
    CONNECTION_LIMIT("connection_limit", "too many connections"),
    /** A connection that did not deliver a whole message in time (half-open, slowloris): closed unanswered. */
    SLOW_MESSAGE("slow_message", "message not completed in time");

    private final String label;
    private final String description;

    Refusal(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The metrics label. */
    public String label() {
        return label;
    }

    /** Words for the log. */
    String description() {
        return description;
    }
}
