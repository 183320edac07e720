package gateway.sip;

import java.nio.charset.StandardCharsets;

/**
 * Looks at a framed message's bytes before any parsing, for the admission decision: response or request, which
 * method, whether the User-Agent holds a word. Allocates nothing but what it returns.
 */
final class SipBytes {

    /** The kinds of message admission tells apart. */
    enum Kind { RESPONSE, INVITE, ACK, OTHER_REQUEST }

    private static final byte[] SIP_VERSION = "SIP/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "ACK ".getBytes(StandardCharsets.US_ASCII);
    /** How far into a message a header is looked for: the header section cap of {@link TcpSipFramer}. */
    static final int SCAN_LIMIT = TcpSipFramer.MAX_HEADER_BYTES;

    private SipBytes() {
    }

    /** The kind of {@code message} from its first bytes (RFC 3261 §7.1, §7.2). */
    static Kind kind(byte[] message) {
        if (startsWith(message, SIP_VERSION)) {
            return Kind.RESPONSE;
        }
        if (startsWith(message, INVITE)) {
            return Kind.INVITE;
        }
        return startsWith(message, ACK) ? Kind.ACK : Kind.OTHER_REQUEST;
    }

    private static boolean startsWith(byte[] message, byte[] prefix) {
        if (message.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (message[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a {@code User-Agent} header (RFC 3261 §20.41) holds one of {@code words} (lower-case ASCII), matched
     * without regard to case.
     */
    static boolean userAgentContains(byte[] message, byte[][] words) {
        int limit = Math.min(message.length, SCAN_LIMIT);
        int line = indexOf(message, (byte) '\n', 0, limit) + 1;
        while (line > 0 && line < limit && message[line] != '\r' && message[line] != '\n') {
            int end = indexOf(message, (byte) '\n', line, limit);
            int lineEnd = end < 0 ? limit : end;
            if (regionMatchesIgnoreCase(message, line, "user-agent")) {
                int colon = indexOf(message, (byte) ':', line, lineEnd);
                if (colon > 0 && blank(message, line + "user-agent".length(), colon)) {
                    for (byte[] word : words) {
                        if (containsIgnoreCase(message, colon + 1, lineEnd, word)) {
                            return true;
                        }
                    }
                }
            }
            line = end < 0 ? -1 : end + 1;
        }
        return false;
    }

    private static boolean blank(byte[] message, int from, int to) {
        for (int i = from; i < to; i++) {
            if (message[i] != ' ' && message[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] message, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (message[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** {@code lowerAscii} at {@code offset}, ignoring the case of the message's letters. */
    private static boolean regionMatchesIgnoreCase(byte[] message, int offset, String lowerAscii) {
        if (offset + lowerAscii.length() > message.length) {
            return false;
        }
        for (int i = 0; i < lowerAscii.length(); i++) {
            if (lower(message[offset + i]) != lowerAscii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(byte[] message, int from, int to, byte[] word) {
        for (int i = from; i + word.length <= to; i++) {
            int j = 0;
            while (j < word.length && lower(message[i + j]) == word[j]) {
                j++;
            }
            if (j == word.length) {
                return true;
            }
        }
        return false;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
