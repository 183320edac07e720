package gateway.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its response. The request's method, target and headers are copied when it arrives (the Netty
 * message is released at once), so routes may answer later from any thread; writes go through the channel, which
 * runs them on its event loop. Exactly one response is sent; {@link #done()} completes when it has been written
 * (or the connection failed), which lets the next pipelined request of the connection go.
 */
final class Exchange {

    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Browsers must not guess another type than the one sent (a transcript is never run as a script). */
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final String NOSNIFF = "nosniff";

    private final Channel channel;
    private final HttpMethod method;
    private final String rawPath;
    private final String rawQuery;
    private final HttpHeaders headers;
    private final boolean keepAlive;
    private final boolean malformed;
    private final byte[] body;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean responded = new AtomicBoolean();
    private volatile boolean tokenUsed;
    private volatile Principal principal = Principal.ANONYMOUS;

    private Exchange(Channel channel, FullHttpRequest request) {
        this.channel = channel;
        this.method = request.method();
        this.headers = request.headers().copy();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.malformed = request.decoderResult().isFailure();
        this.body = ByteBufUtil.getBytes(request.content());
        QueryStringDecoder target = new QueryStringDecoder(originForm(request.uri()));
        this.rawPath = target.rawPath();
        this.rawQuery = target.rawQuery();
    }

    /** Copies what the response needs from {@code request}; the caller still releases it. */
    static Exchange of(Channel channel, FullHttpRequest request) {
        return new Exchange(channel, request);
    }

    /** The connection, for a route that takes it over (the listen socket's upgrade). */
    Channel channel() {
        return channel;
    }

    HttpMethod method() {
        return method;
    }

    boolean isHead() {
        return HttpMethod.HEAD.equals(method);
    }

    /** The path as sent, still percent-encoded. */
    String rawPath() {
        return rawPath;
    }

    /** The query as sent (still percent-encoded), empty when there is none. */
    String rawQuery() {
        return rawQuery;
    }

    HttpHeaders headers() {
        return headers;
    }

    /** The request's body (at most {@link BoundedRequestAggregator#MAX_REQUEST_BYTES}), empty when it had none. */
    byte[] body() {
        return body;
    }

    /** The request could not be parsed (bad request line or headers). */
    boolean malformed() {
        return malformed;
    }

    InetSocketAddress client() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Whether the request was let in by a bearer token (for the audit log). */
    boolean tokenUsed() {
        return tokenUsed;
    }

    void tokenUsed(boolean used) {
        tokenUsed = used;
    }

    /** Who sent the request ({@link AccessGuard} sets it). */
    Principal principal() {
        return principal;
    }

    void principal(Principal who) {
        principal = who;
    }

    /** The client's address and port, as the audit names it. */
    String clientAddress() {
        InetSocketAddress c = client();
        return c == null ? "unknown" : c.getAddress().getHostAddress() + ":" + c.getPort();
    }

    /** The decoded query parameters; a malformed query is a 400. */
    Map<String, List<String>> parameters() throws ApiException {
        try {
            return new QueryStringDecoder(rawQuery, false).parameters();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "malformed query string");
        }
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** Sends a complete response (its body is left out for HEAD, its Content-Length kept). */
    void send(FullHttpResponse response) {
        if (!responded.compareAndSet(false, true)) {
            response.release();
            return;
        }
        FullHttpResponse out = response;
        if (isHead() && response.content().isReadable()) {
            out = new DefaultFullHttpResponse(response.protocolVersion(), response.status(), Unpooled.EMPTY_BUFFER,
                    response.headers(), response.trailingHeaders());
            response.release();
        }
        decorate(out);
        complete(channel.writeAndFlush(out));
    }

    /** A JSON body. */
    void sendJson(HttpResponseStatus status, byte[] json) {
        send(full(status, Unpooled.wrappedBuffer(json), JSON));
    }

    /** The API's error body: {@code {"error":{"code":…,"message":…}}}. */
    void sendError(HttpResponseStatus status, String code, String message) {
        send(error(status, code, message));
    }

    void sendError(ApiException e) {
        sendError(e.status(), e.code(), e.getMessage());
    }

    /** Starts a streamed response; follow with {@link #write} calls and one {@link #finish}. */
    boolean start(HttpResponse head) {
        if (!responded.compareAndSet(false, true)) {
            return false;
        }
        decorate(head);
        channel.write(head);
        return true;
    }

    /** Writes part of a streamed body (a {@code HttpContent} or a {@code FileRegion}). */
    ChannelFuture write(Object content) {
        return channel.writeAndFlush(content);
    }

    /** Ends a streamed response. */
    void finish() {
        complete(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    /** Gives up a streamed response whose head is already out: the connection is closed, as nothing else is safe. */
    void abort() {
        channel.close().addListener(f -> done.complete(null));
    }

    /** A JSON error response, not yet sent. */
    static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        byte[] body = (root + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = full(status, Unpooled.wrappedBuffer(body), JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    static FullHttpResponse full(HttpResponseStatus status, ByteBuf body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    /** Headers every response carries: Date (RFC 9110 §6.6.1), nosniff, and the connection's persistence. */
    private void decorate(HttpResponse response) {
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        response.headers().set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        HttpUtil.setKeepAlive(response, keepAlive && !malformed);
    }

    private void complete(ChannelFuture written) {
        written.addListener(f -> {
            if (!f.isSuccess() || !keepAlive || malformed) {
                channel.close();
            }
            done.complete(null);
        });
    }

    /** An absolute-form target (RFC 9112 §3.2.2) reduced to its path and query. */
    private static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0 || uri.startsWith("/")) {
            return uri;
        }
        int path = uri.indexOf('/', scheme + 3);
        return path < 0 ? "/" : uri.substring(path);
    }
}
