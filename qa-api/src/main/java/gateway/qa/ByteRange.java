package gateway.qa;

/**
 * A single byte range of a representation, from a {@code Range} header (RFC 9110 §14.1.2, §14.2): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. A header this server does not act on (another unit, a syntax error, or more
 * than one range) is ignored and the whole representation is sent, as §14.2 allows.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** What a Range header asks of a representation of a given length. */
    sealed interface Request permits Whole, Part, Unsatisfiable {
    }

    /** Send the whole representation (no header, or one this server ignores). */
    record Whole() implements Request {
    }

    /** Send this range: 206 Partial Content. */
    record Part(ByteRange range) implements Request {
    }

    /** No byte of the representation is in the range: 416 (RFC 9110 §15.5.17). */
    record Unsatisfiable() implements Request {
    }

    private static final String BYTES_UNIT = "bytes";
    /** Up to 18 digits always fits a long. */
    private static final int MAX_DIGITS = 18;

    long length() {
        return last - first + 1;
    }

    /** The Content-Range value of this range (RFC 9110 §14.4). */
    String contentRange(long completeLength) {
        return BYTES_UNIT + " " + first + "-" + last + "/" + completeLength;
    }

    /** The Content-Range value of a 416: "bytes", an asterisk, a slash and the length (RFC 9110 §14.4). */
    static String unsatisfiedRange(long completeLength) {
        return BYTES_UNIT + " */" + completeLength;
    }

    static Request parse(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).strip().equalsIgnoreCase(BYTES_UNIT)) {
            return new Whole();
        }
        String spec = header.substring(eq + 1).strip();
        int dash = spec.indexOf('-');
        if (spec.indexOf(',') >= 0 || dash < 0) {
            return new Whole();
        }
        String firstText = spec.substring(0, dash);
        String lastText = spec.substring(dash + 1);
        if (firstText.isEmpty()) {
            long suffix = number(lastText);
            if (suffix < 0) {
                return new Whole();
            }
            if (suffix == 0 || length == 0) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(Math.max(0, length - suffix), length - 1));
        }
        long first = number(firstText);
        long last = lastText.isEmpty() ? Long.MAX_VALUE : number(lastText);
        if (first < 0 || last < 0 || last < first) {
            return new Whole();
        }
        if (first >= length) {
            return new Unsatisfiable();
        }
        return new Part(new ByteRange(first, Math.min(last, length - 1)));
    }

    /** A run of 1 to 18 ASCII digits, or -1. */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
