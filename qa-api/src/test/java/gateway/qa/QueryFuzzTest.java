package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a QA client puts in a request for a call list or a recording: the query string (decoded as {@link Exchange}
 * does, then {@link ListParameters}) and the conditional and range headers ({@link Preconditions},
 * {@link ByteRange}). A bad value is a 400 {@link ApiException} with a code and a sentence, never another exception;
 * a range is within the representation. The input's lines are the query, then Range, If-None-Match,
 * If-Modified-Since and If-Range. Seeds: {@code QueryFuzzTestInputs}.
 */
class QueryFuzzTest {

    private static final Validators VALIDATORS = new Validators(Validators.strongTag("7-abc"),
            Instant.parse("2026-11-30T18:00:00Z"));
    private static final long[] LENGTHS = {0, 1, 44, 1_000_000};

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aQueryIsACallQueryOrA400AndRangesStayInside(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 5);
        callQuery(lines[0]);
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        String range = line(lines, 1);
        headers.set(HttpHeaderNames.IF_NONE_MATCH, line(lines, 2));
        headers.set(HttpHeaderNames.IF_MODIFIED_SINCE, line(lines, 3));
        headers.set(HttpHeaderNames.IF_RANGE, line(lines, 4));
        Preconditions.notModified(headers, VALIDATORS);
        Preconditions.rangeApplies(headers, VALIDATORS);
        headers.remove(HttpHeaderNames.IF_NONE_MATCH);
        Preconditions.notModified(headers, VALIDATORS);
        for (long length : LENGTHS) {
            if (ByteRange.parse(range, length) instanceof ByteRange.Part part) {
                ByteRange r = part.range();
                assertTrue(r.first() >= 0 && r.first() <= r.last() && r.last() < length, r + " of " + length);
            }
        }
    }

    private static void callQuery(String query) {
        DefaultFullHttpRequest request;
        try {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/calls?" + query);
        } catch (IllegalArgumentException notARequestTarget) {
            return; // characters no HTTP request line carries (RFC 9112 §3.2): netty's decoder never makes this
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            assertNotNull(ListParameters.parse(Exchange.of(channel, request).parameters()));
        } catch (ApiException e) {
            assertEquals(HttpResponseStatus.BAD_REQUEST, e.status());
            assertNotNull(e.code());
            assertNotNull(e.getMessage());
        } finally {
            request.release();
            channel.finishAndReleaseAll();
        }
    }

    private static String line(String[] lines, int index) {
        return index < lines.length ? lines[index] : "";
    }
}
