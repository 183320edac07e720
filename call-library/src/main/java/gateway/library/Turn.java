package gateway.library;

import java.util.Objects;

/**
 * One spoken turn on the call timeline, in milliseconds since answer.
 * A null {@code text} is stored as {@code ""} (so call.json always has a string);
 * an empty text is left out of captions.
 * {@code itemId} may be null (written as JSON null).
 */
public record Turn(Role role, long startMs, long endMs, String text, String itemId, boolean interrupted) {

    public Turn {
        Objects.requireNonNull(role, "role");
        text = text == null ? "" : text;
    }
}
