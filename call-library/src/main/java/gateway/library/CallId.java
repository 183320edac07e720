package gateway.library;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated call id: 1 to 128 letters, digits, '.', '_' or '-', and neither "." nor "..", so it is always one
 * plain name inside the recordings directory (the rule {@link CallMetadata} checks when a recording starts).
 */
public record CallId(String value) implements Comparable<CallId> {

    /** Longest id. */
    public static final int MAX_LENGTH = 128;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    public CallId {
        if (!valid(value)) {
            throw new IllegalArgumentException("not a call id");
        }
    }

    /** The id, or empty when {@code raw} is not a valid id. */
    public static Optional<CallId> parse(String raw) {
        return valid(raw) ? Optional.of(new CallId(raw)) : Optional.empty();
    }

    /** True when {@code raw} is a valid id. */
    public static boolean valid(String raw) {
        return raw != null && SAFE.matcher(raw).matches() && !raw.equals(".") && !raw.equals("..");
    }

    @Override
    public int compareTo(CallId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
