package gateway.library;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about a call when recording starts. {@code id} names the call directory, so it is limited to
 * letters, digits, '.', '_' and '-' (and cannot be "." or ".."): the rule of {@link CallId}. {@code source} is the
 * caller's transport address as {@code ip:port} (the one a trusted PROXY protocol header named, when there was one);
 * null when unknown (calls recorded before it was kept).
 */
public record CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec,
                           String source) {

    /** Metadata without a source address. */
    public CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec) {
        this(id, sipCallId, from, to, startedAt, codec, null);
    }

    public CallMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        if (!CallId.valid(id)) {
            throw new IllegalArgumentException("call id is not a safe directory name: " + id);
        }
    }
}
