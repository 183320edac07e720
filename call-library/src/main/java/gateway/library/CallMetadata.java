package gateway.library;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about a call when recording starts. {@code id} names the call directory, so it is limited to
 * letters, digits, '.', '_' and '-' (and cannot be "." or ".."): the rule of {@link CallId}.
 */
public record CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec) {

    public CallMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        if (!CallId.valid(id)) {
            throw new IllegalArgumentException("call id is not a safe directory name: " + id);
        }
    }
}
