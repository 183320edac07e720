package gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallId;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code POST /api/calls/{id}/share} with {@code {"expires_in": seconds}} makes a share link to a finished call
 * (201 with its token and the page address {@code /#/share/<token>}, which keeps the token out of every request
 * line); {@code DELETE /api/shares/{id}} revokes one (204); {@code GET /api/shares} lists the active ones. Admins
 * only; creating and revoking are audited. I/O thread.
 */
final class ShareApi {

    static final String SHARE = "share";
    static final String SHARES = "shares";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SHARE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final ShareLinks links;
    private final CallStore store;
    private final AuditLog audit;

    ShareApi(ShareLinks links, CallStore store, AuditLog audit) {
        this.links = links;
        this.store = store;
        this.audit = audit;
    }

    /** The expiry a POST asks for; checked on the event loop. */
    static Duration expiresIn(Exchange exchange) throws ApiException {
        JsonNode root;
        try {
            root = MAPPER.readTree(exchange.body());
        } catch (IOException e) {
            root = null;
        }
        JsonNode seconds = root == null || !root.isObject() ? null : root.get("expires_in");
        long min = ShareLinks.MIN_EXPIRY.toSeconds();
        long max = ShareLinks.MAX_EXPIRY.toSeconds();
        if (seconds == null || !seconds.isIntegralNumber() || seconds.asLong() < min || seconds.asLong() > max) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "the body must be a JSON object whose"
                    + " \"expires_in\" is a whole number of seconds from " + min + " to " + max);
        }
        return Duration.ofSeconds(seconds.asLong());
    }

    void create(Exchange exchange, CallId id, Duration expiresIn) throws ApiException, IOException {
        CallStatus status = store.status(id);
        if (status == CallStatus.ABSENT) {
            throw ApiException.notFound("no call with this id");
        }
        if (status == CallStatus.IN_PROGRESS) {
            throw new ApiException(HttpResponseStatus.CONFLICT, ErrorCodes.CALL_IN_PROGRESS,
                    "the call is still being recorded; share it when it has ended");
        }
        ShareLinks.Created created = links.create(id, expiresIn, exchange.principal().name());
        ShareLinks.Share share = created.share();
        audit.record(exchange, "share_created", id.value(), share.id() + " expires " + share.expiresAt());
        byte[] body = (MAPPER.createObjectNode().put("id", share.id()).put("call", share.call())
                .put("expires_at", share.expiresAt().toString()).put("token", created.token())
                .put("url", "/#/share/" + created.token()) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = Exchange.full(HttpResponseStatus.CREATED, Unpooled.wrappedBuffer(body),
                Exchange.JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        exchange.send(response);
    }

    /** The id segment of {@code DELETE /api/shares/{id}}, or 400. Event loop. */
    static String shareId(String segment) throws ApiException {
        if (!SHARE_ID.matcher(segment).matches()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ID, "a share id is what POST …/share answered");
        }
        return segment;
    }

    /** {@code GET /api/shares}: the active links, oldest first, with call, creator and expiry (never a token). */
    void list(Exchange exchange) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode list = root.putArray("shares");
        for (ShareLinks.Share s : links.active()) {
            list.addObject().put("id", s.id()).put("call", s.call()).put("by", s.by())
                    .put("created_at", s.createdAt().toString()).put("expires_at", s.expiresAt().toString());
        }
        FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                Unpooled.copiedBuffer(root + "\n", StandardCharsets.UTF_8), Exchange.JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        exchange.send(response);
    }

    void revoke(Exchange exchange, String id) throws ApiException, IOException {
        if (!links.revoke(id, exchange.principal().name())) {
            throw ApiException.notFound("no share link with this id");
        }
        audit.record(exchange, "share_revoked", null, id);
        exchange.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER));
    }
}
