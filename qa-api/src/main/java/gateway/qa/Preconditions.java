package gateway.qa;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The conditional request headers of a GET or HEAD, evaluated in the order of RFC 9110 §13.2.2: If-None-Match, or
 * If-Modified-Since when there is no If-None-Match, may answer 304; If-Range decides whether Range is honoured.
 * (If-Match and If-Unmodified-Since guard state-changing requests; the API's only such request is DELETE, which
 * takes none.)
 */
final class Preconditions {

    private static final String ANY = "*";
    private static final String WEAK_PREFIX = "W/";

    private Preconditions() {
    }

    /** True when the client's stored copy is current: 304 Not Modified (RFC 9110 §13.1.2, §13.1.3). */
    static boolean notModified(HttpHeaders headers, Validators validators) {
        String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            if (ifNoneMatch.strip().equals(ANY)) {
                return true;
            }
            List<String> tags = entityTags(ifNoneMatch);
            String ours = opaque(validators.etag());
            return tags != null && tags.stream().anyMatch(tag -> opaque(tag).equals(ours));
        }
        String ifModifiedSince = headers.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null) {
            Date since = httpDate(ifModifiedSince);
            return since != null && !validators.lastModifiedSeconds().isAfter(since.toInstant());
        }
        return false;
    }

    /**
     * True when a Range header may be honoured: there is no If-Range, or it names the current representation by
     * its strong entity tag or its exact Last-Modified date (RFC 9110 §13.1.5; a weak tag never matches).
     */
    static boolean rangeApplies(HttpHeaders headers, Validators validators) {
        String ifRange = headers.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith(WEAK_PREFIX)) {
            return false;
        }
        if (value.startsWith("\"")) {
            return value.equals(validators.etag());
        }
        Date date = httpDate(value);
        return date != null && date.toInstant().equals(validators.lastModifiedSeconds());
    }

    /**
     * An HTTP-date (RFC 9110 §5.6.7), or null when {@code value} is not one, which the caller ignores (§13.1.3).
     * Netty's parser throws instead for a value over 64 characters (found by {@code QueryFuzzTest}).
     */
    private static Date httpDate(String value) {
        try {
            return DateFormatter.parseHttpDate(value);
        } catch (IllegalArgumentException notADate) {
            return null;
        }
    }

    /** The entity tags of an If-None-Match list (RFC 9110 §8.8.3), or null when it is malformed. */
    static List<String> entityTags(String header) {
        List<String> tags = new ArrayList<>();
        int i = 0;
        while (i < header.length()) {
            char c = header.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            if (header.startsWith(WEAK_PREFIX, i)) {
                i += WEAK_PREFIX.length();
            }
            if (i >= header.length() || header.charAt(i) != '"') {
                return null;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                return null;
            }
            tags.add(header.substring(start, close + 1));
            i = close + 1;
        }
        return tags;
    }

    private static String opaque(String tag) {
        return tag.startsWith(WEAK_PREFIX) ? tag.substring(WEAK_PREFIX.length()) : tag;
    }
}
