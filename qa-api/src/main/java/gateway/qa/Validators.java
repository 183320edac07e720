package gateway.qa;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The validators of a representation (RFC 9110 §8.8): a strong entity tag, quoted, and the modification time.
 */
record Validators(String etag, Instant lastModified) {

    /** Last-Modified as an HTTP-date (RFC 9110 §5.6.7), which has whole seconds. */
    String lastModifiedHeader() {
        return DateFormatter.format(Date.from(lastModifiedSeconds()));
    }

    /** The modification time at the one-second resolution of HTTP dates. */
    Instant lastModifiedSeconds() {
        return lastModified.truncatedTo(ChronoUnit.SECONDS);
    }

    /** A strong entity tag (RFC 9110 §8.8.3) from an opaque version string. */
    static String strongTag(String version) {
        return "\"" + version + "\"";
    }
}
