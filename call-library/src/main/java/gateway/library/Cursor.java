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
    private static final String SORTED_VERSION = "2";
    private static final char SEPARATOR = '.';
    /** An encoded position is at most about 200 characters (128-character id); longer text is not a cursor. */
    static final int MAX_LENGTH = 256;

    private Cursor() {
    }

    public static String encode(ListPosition position) {
        String plain = VERSION + SEPARATOR + position.startedAtMs() + SEPARATOR + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** A place in a list sorted by a figure: that figure and the call's position ("2.&lt;figure&gt;.&lt;ms&gt;.…"). */
    public record Sorted(long key, ListPosition position) {
    }

    /** The cursor of a list sorted by a figure ({@link CallSort}) after a call: its figure and position. */
    public static String encodeSorted(long key, ListPosition position) {
        String plain = SORTED_VERSION + SEPARATOR + key + SEPARATOR + position.startedAtMs() + SEPARATOR
                + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** The sorted list's place {@code text} names, or empty when it is not such a cursor. */
    public static Optional<Sorted> decodeSorted(String text) {
        String plain = plain(text);
        if (plain == null || !plain.startsWith(SORTED_VERSION + SEPARATOR)) {
            return Optional.empty();
        }
        int dot = plain.indexOf(SEPARATOR, SORTED_VERSION.length() + 1);
        if (dot < 0) {
            return Optional.empty();
        }
        long key;
        try {
            key = Long.parseLong(plain.substring(SORTED_VERSION.length() + 1, dot));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return position(VERSION + plain.substring(dot)).map(p -> new Sorted(key, p));
    }

    /** The base64url-decoded text of a cursor, or null when it cannot be one. */
    private static String plain(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static Optional<ListPosition> decode(String text) {
        String plain = plain(text);
        return plain == null ? Optional.empty() : position(plain);
    }

    /** The position of a version-1 plain text. */
    private static Optional<ListPosition> position(String plain) {
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
