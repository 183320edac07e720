package gateway.sip;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The request methods we know and whether we implement them: this one list drives dispatch, the Allow header
 * (RFC 3261 §20.5) and 501 Not Implemented (§8.2.1). Method names are case-sensitive (§7.1).
 */
enum SipMethod {
    INVITE(true),
    ACK(true),
    BYE(true),
    CANCEL(true),
    OPTIONS(true),
    /** RFC 3311. */
    UPDATE(true),
    /** RFC 3262; we never send reliable provisionals, so there is nothing to acknowledge. */
    PRACK(false),
    /** RFC 6086; in a dialog only, for key presses ({@link DtmfInfo}). */
    INFO(true),
    /** RFC 3515. */
    REFER(false),
    /** RFC 6665. */
    SUBSCRIBE(false),
    /** RFC 6665. */
    NOTIFY(false),
    /** RFC 3428. */
    MESSAGE(false),
    REGISTER(false),
    /** RFC 3903. */
    PUBLISH(false),
    /** Any method this list does not name. */
    OTHER(false);

    /** The Allow header value: the implemented methods in the order above. */
    static final String ALLOW = Arrays.stream(values()).filter(SipMethod::implemented).map(Enum::name)
            .collect(Collectors.joining(", "));

    private final boolean implemented;

    SipMethod(boolean implemented) {
        this.implemented = implemented;
    }

    boolean implemented() {
        return implemented;
    }

    /** The method named exactly {@code name}, or {@link #OTHER}. */
    static SipMethod of(String name) {
        for (SipMethod method : values()) {
            if (method != OTHER && method.name().equals(name)) {
                return method;
            }
        }
        return OTHER;
    }
}
