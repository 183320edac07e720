package gateway.library;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about a call when recording starts. {@code id} names the call directory, so it is limited to
 * letters, digits, '.', '_' and '-' (and cannot be "." or ".."): the rule of {@link CallId}. {@code source} is the
 * caller's transport address as {@code ip:port} (the one a trusted PROXY protocol header named, when there was one);
 * null when unknown (calls recorded before it was kept). {@code profile} is the routing profile the call got (null in
 * calls recorded before profiles); {@code sipHeaders} the INVITE's headers passed on, by name as configured, each with
 * its values in order (empty when none were listed). {@code replay} says which recorded call this one replayed and
 * against what agent settings; null for a phone call.
 */
public record CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec,
                           String source, String profile, Map<String, List<String>> sipHeaders,
                           ReplayOrigin replay) {

    /** Metadata of a phone call (not a replay). */
    public CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec,
                        String source, String profile, Map<String, List<String>> sipHeaders) {
        this(id, sipCallId, from, to, startedAt, codec, source, profile, sipHeaders, null);
    }

    /** Metadata without a source address. */
    public CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec) {
        this(id, sipCallId, from, to, startedAt, codec, null);
    }

    /** Metadata without a profile or headers. */
    public CallMetadata(String id, String sipCallId, String from, String to, Instant startedAt, String codec,
                        String source) {
        this(id, sipCallId, from, to, startedAt, codec, source, null, Map.of());
    }

    public CallMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        if (!CallId.valid(id)) {
            throw new IllegalArgumentException("call id is not a safe directory name: " + id);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        (sipHeaders == null ? Map.<String, List<String>>of() : sipHeaders)
                .forEach((name, values) -> copy.put(name, List.copyOf(values)));
        sipHeaders = Collections.unmodifiableMap(copy);
    }
}
