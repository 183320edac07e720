package gateway.recorder;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about a call when recording starts. {@code id} names the call directory, so it is limited to
 * letters, digits, '.', '_' and '-' (and cannot be "." or "..").
 */
public record CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec) {

    public CallMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        if (!id.matches("[A-Za-z0-9._-]{1,128}") || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("call id is not a safe directory name: " + id);
        }
    }
}
