package gateway.bridge.call;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The Refer-To of a transfer (RFC 3515 §2.1): the target with URI headers (RFC 3261 §19.1.1) that the transferee's
 * INVITE carries, so the person who answers knows the call: {@code X-Call-Id} (the gateway's call id) and
 * {@code X-Transfer-Reason} (the model's summary, when it gave one), and/or a {@code User-to-User} header (RFC 7433,
 * hex encoding) holding {@code <call id>} or {@code <call id>;<reason>}. Header values are escaped as §25.1 says.
 */
final class ReferContext {

    /** A reason longer than this is cut: it is a short summary, not a transcript. */
    static final int MAX_REASON_CHARS = 200;
    /** User-to-User data is kept to what ISDN interworking carries (RFC 7433 §4.1 leaves the limit to the use). */
    static final int MAX_UUI_BYTES = 128;
    static final String CALL_ID_HEADER = "X-Call-Id";
    static final String REASON_HEADER = "X-Transfer-Reason";
    static final String UUI_HEADER = "User-to-User";
    /** RFC 3261 §25.1: hnv-unreserved and unreserved characters stand for themselves in a URI header's value. */
    private static final String UNESCAPED = "[]/?:+$-_.!~*'()";

    private ReferContext() {
    }

    /** The Refer-To header value, {@code <target?headers>}. */
    static String referTo(String target, String callId, String reason, TransferPolicy policy) {
        String why = reason(reason);
        StringBuilder headers = new StringBuilder();
        if (policy.xHeaders()) {
            header(headers, CALL_ID_HEADER, callId);
            if (why != null) {
                header(headers, REASON_HEADER, why);
            }
        }
        if (policy.userToUser()) {
            header(headers, UUI_HEADER, userToUser(callId, why));
        }
        return "<" + target + (headers.isEmpty() ? "" : "?" + headers) + ">";
    }

    /** RFC 7433 §4.1: the data as hex, {@code ;encoding=hex}. */
    static String userToUser(String callId, String reason) {
        byte[] data = (reason == null ? callId : callId + ";" + reason).getBytes(StandardCharsets.UTF_8);
        int length = Math.min(data.length, MAX_UUI_BYTES);
        return HexFormat.of().formatHex(data, 0, length) + ";encoding=hex";
    }

    /** The model's reason on one line, cut to {@link #MAX_REASON_CHARS}; null when it gave none. */
    static String reason(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        raw.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String line = out.toString().strip();
        if (line.isEmpty()) {
            return null;
        }
        return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS).strip();
    }

    /** RFC 3261 §25.1 escaping of a URI header's value: UTF-8, every other byte as %XX. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || UNESCAPED.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static void header(StringBuilder headers, String name, String value) {
        if (!headers.isEmpty()) {
            headers.append('&');
        }
        headers.append(name).append('=').append(escape(value));
    }
}
