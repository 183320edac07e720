package gateway.qa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request path into segments at '/' first and percent-decodes each one after (RFC 3986 §2.1, UTF-8), so an
 * encoded "/" ({@code %2F}) stays inside its segment and can never add a level. Decoding happens exactly once: a
 * double-encoded "%252e" becomes the text "%2e", which no id or file name accepts. Malformed escapes and
 * malformed UTF-8 are refused.
 */
final class PathSegments {

    private PathSegments() {
    }

    /** The decoded segments of an origin-form path (RFC 9112 §3.2.1), e.g. "/api/calls/x" → [api, calls, x]. */
    static List<String> decode(String rawPath) throws ApiException {
        if (!rawPath.startsWith("/")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PATH, "the request target must be an absolute path");
        }
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            segments.add(percentDecode(rawPath.substring(start, end)));
            start = end + 1;
        }
        return segments;
    }

    static String percentDecode(String segment) throws ApiException {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
            if (lo < 0) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PATH, "malformed percent-encoding in the path");
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PATH, "the path is not UTF-8");
        }
    }
}
