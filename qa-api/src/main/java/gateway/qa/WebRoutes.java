package gateway.qa;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The QA web page: {@code GET /} is its HTML, {@code GET /static/{name}} its scripts, style and icon
 * ({@link WebAssets}). Every response carries a strong entity tag and {@code Cache-Control: no-cache}, so a browser
 * keeps the files but asks with If-None-Match before reusing them and gets 304 while they are unchanged (RFC 9111
 * §5.2.2.4): a new version of the page is seen at once without renaming files. The headers also forbid inline
 * script, framing and sending the address on. Event loop (the files are in memory).
 */
final class WebRoutes {

    /** The path prefix of the page's files. */
    static final String STATIC = "static";
    /**
     * Scripts and styles only from the page's own files, never inline; data only from this origin; the player's
     * audio from the blob: URL the page makes of the recording it fetched with the token.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; media-src blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    private static final AsciiString CSP = AsciiString.cached("content-security-policy");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("referrer-policy");
    private static final AsciiString FRAME_OPTIONS = AsciiString.cached("x-frame-options");
    private static final AsciiString OPENER_POLICY = AsciiString.cached("cross-origin-opener-policy");
    private static final AsciiString RESOURCE_POLICY = AsciiString.cached("cross-origin-resource-policy");

    private final WebAssets assets;

    WebRoutes(WebAssets assets) {
        this.assets = assets;
    }

    /** True for the paths of the page, which the {@link AccessGuard} serves without a token. */
    static boolean isPagePath(String rawPath) {
        return rawPath.equals("/") || rawPath.startsWith("/" + STATIC + "/");
    }

    void index(Exchange exchange) {
        if (Methods.READ.admit(exchange)) {
            send(exchange, assets.get(WebAssets.INDEX).orElseThrow());
        }
    }

    /** {@code name}: the decoded segment after {@code /static/}. */
    void file(Exchange exchange, String name) throws ApiException {
        if (Methods.READ.admit(exchange)) {
            send(exchange, assets.get(name).orElseThrow(() -> ApiException.notFound("the page has no such file")));
        }
    }

    private static void send(Exchange exchange, WebAssets.Asset asset) {
        FullHttpResponse response;
        if (Preconditions.notModified(exchange.headers(), asset.validators())) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            response = Exchange.full(HttpResponseStatus.OK, Unpooled.wrappedBuffer(asset.body()),
                    asset.contentType());
        }
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.ETAG, asset.validators().etag());
        h.set(HttpHeaderNames.LAST_MODIFIED, asset.validators().lastModifiedHeader());
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        h.set(CSP, CONTENT_SECURITY_POLICY);
        h.set(REFERRER_POLICY, "no-referrer");
        h.set(FRAME_OPTIONS, "DENY");
        h.set(OPENER_POLICY, "same-origin");
        h.set(RESOURCE_POLICY, "same-origin");
        exchange.send(response);
    }
}
