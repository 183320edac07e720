package gateway.sip;

import java.util.Locale;

/**
 * A NOTIFY that arrived in a call's dialog (RFC 6665 §4.1.3) and was answered 200: the progress of a REFER we sent
 * (RFC 3515 §2.4.4, Event {@code refer}, a {@code message/sipfrag} body), or anything else a PBX sends in a dialog
 * (CUCM's {@code telephone-event} NOTIFYs).
 *
 * @param event             the Event header's value as sent, e.g. {@code refer} or {@code refer;id=93809824}; empty
 *                          when absent
 * @param subscriptionState the Subscription-State header's value, e.g. {@code active;expires=60}; empty when absent
 * @param contentType       the body's media type, e.g. {@code message/sipfrag}; empty without a body
 * @param body              the body as text, empty when none
 */
public record InDialogNotify(String event, String subscriptionState, String contentType, String body) {

    /** The event package, lower case and without parameters: {@code refer} for a REFER's progress. */
    public String eventPackage() {
        int semicolon = event.indexOf(';');
        return (semicolon < 0 ? event : event.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** True when the subscription ends with this NOTIFY (RFC 6665 §4.1.3: Subscription-State terminated). */
    public boolean terminated() {
        return subscriptionState.trim().toLowerCase(Locale.ROOT).startsWith("terminated");
    }

    /**
     * The status code of a {@code message/sipfrag} body's status line (RFC 3420), e.g. 200 for {@code SIP/2.0 200 OK};
     * -1 when the body is not a sipfrag or starts with no status line.
     */
    public int sipfragStatus() {
        if (!contentType.trim().toLowerCase(Locale.ROOT).startsWith("message/sipfrag")) {
            return -1;
        }
        String line = body.strip().lines().findFirst().orElse("");
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("SIP/2.0") || parts[1].length() != 3) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
