package gateway.storage;

import java.time.Instant;

/**
 * What a HEAD says of an object.
 *
 * @param etag          the entity tag without quotes: changes whenever the object does
 * @param sha256Base64  the SHA-256 the server stored with the object, or null when it keeps none
 */
record ObjectInfo(long size, String etag, Instant lastModified, String sha256Base64) {
}
