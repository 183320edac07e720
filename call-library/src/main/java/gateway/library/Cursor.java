package gateway.library;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque text form of a {@link ListPosition}: base64url of "1.&lt;epoch ms&gt;.&lt;id&gt;" (1 is the format
 * version). Clients pass it back unchanged; any other text decodes to empty.
 */
public final class Cursor {

    private static final String VERSION = "1";
    private static final char SEPARATOR = '.';
    /** An encoded position is at most about 200 characters (128-character id); longer text is not a cursor. */
    static final int MAX_LENGTH = 256;

    private Cursor() {
    }

    public static String encode(ListPosition position) {
        String plain = VERSION + SEPARATOR + position.startedAtMs() + SEPARATOR + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    public static Optional<ListPosition> decode(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int first = plain.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : plain.indexOf(SEPARATOR, first + 1);
        if (second < 0 || !plain.substring(0, first).equals(VERSION)) {
            return Optional.empty();
        }
        String id = plain.substring(second + 1);
        long millis;
        try {
            millis = Long.parseLong(plain.substring(first + 1, second));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return CallId.valid(id) ? Optional.of(new ListPosition(millis, id)) : Optional.empty();
    }
}
