package gateway.storage;

import java.time.Instant;

/**
 * One object as a listing shows it.
 *
 * @param etag the entity tag without quotes: changes whenever the object does
 */
record ListedObject(String key, long size, String etag, Instant lastModified) {

    /** What tells one version of the object from another: its tag, or its time and size when it has none. */
    String version() {
        return etag != null && !etag.isEmpty() ? etag : lastModified + "/" + size;
    }
}
