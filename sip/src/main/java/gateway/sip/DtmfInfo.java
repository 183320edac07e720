package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.sip.header.ContentTypeHeader;

/**
 * A key press carried by an INFO request (RFC 6086 legacy usage, no Info-Package): {@code application/dtmf-relay}
 * ({@code Signal=5} and an optional {@code Duration=160} in ms, one per line) or {@code application/dtmf} (the key
 * alone). What the request brings is one of the records below.
 */
sealed interface DtmfInfo {

    /** The two body types we take; the Accept of a 415. */
    String ACCEPT = "application/dtmf-relay, application/dtmf";
    /** The longest body we read: a key press is a few dozen bytes. */
    int MAX_BODY_BYTES = 256;
    /** Keys as RFC 4733 §3.2 lists them. */
    String KEYS = "0123456789*#ABCD";

    /** A key press; {@code durationMs} 0 when the body did not say. */
    record Digit(char digit, int durationMs) implements DtmfInfo {
    }

    /** No body: nothing to do (an INFO used as a keep-alive). */
    record Empty() implements DtmfInfo {
    }

    /** A body of another type: 415 with {@link #ACCEPT}. */
    record Unsupported() implements DtmfInfo {
    }

    /** A DTMF body we cannot read: 400 with the reason. */
    record Malformed(String reason) implements DtmfInfo {
    }

    /** What {@code request}'s body carries. */
    static DtmfInfo of(SIPRequest request) {
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            return new Empty();
        }
        ContentTypeHeader type = request.getContentTypeHeader();
        if (type == null || !"application".equalsIgnoreCase(type.getContentType())) {
            return new Unsupported();
        }
        if (body.length > MAX_BODY_BYTES) {
            return new Malformed("DTMF body longer than " + MAX_BODY_BYTES + " bytes");
        }
        String text = new String(body, StandardCharsets.UTF_8).trim();
        return switch (type.getContentSubType().toLowerCase(Locale.ROOT)) {
            case "dtmf-relay" -> relay(text);
            case "dtmf" -> digit(text, 0);
            default -> new Unsupported();
        };
    }

    /** {@code Signal=} and {@code Duration=} lines, in any order, names in any case; other lines are ignored. */
    private static DtmfInfo relay(String text) {
        String signal = null;
        int duration = 0;
        for (String line : text.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).trim();
            if (name.equals("signal")) {
                signal = value;
            } else if (name.equals("duration")) {
                try {
                    duration = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return new Malformed("Duration is not a number: " + value);
                }
                if (duration < 0) {
                    return new Malformed("negative Duration: " + value);
                }
            }
        }
        return signal == null ? new Malformed("no Signal line") : digit(signal, duration);
    }

    /** One key: 0-9, *, #, A-D (either case), or the event codes 10-15 some phones send for * # A-D. */
    private static DtmfInfo digit(String key, int durationMs) {
        if (key.length() == 1 && KEYS.indexOf(Character.toUpperCase(key.charAt(0))) >= 0) {
            return new Digit(Character.toUpperCase(key.charAt(0)), durationMs);
        }
        if (key.matches("1[0-5]")) {
            return new Digit(KEYS.charAt(Integer.parseInt(key)), durationMs);
        }
        return new Malformed("not a DTMF key: " + key);
    }
}
