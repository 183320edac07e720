package gateway.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallId;
import gateway.library.CallJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The active calls API beside the QA API: {@code GET /api/calls/active} lists the calls in progress; {@code POST
 * /api/calls/{id}/say} ({@code {"text": …}}), {@code …/instructions} ({@code {"instructions": …}}), {@code
 * …/hangup} and {@code …/transfer} ({@code {"target": "sip:…", "reason": …}}) steer one. Each action runs on the
 * call's loop; this side waits for it without blocking (a future with a timeout), answers 404 for an unknown id,
 * 409 for a call not answered yet or over, 400 naming the field for a bad body, and writes an audit line (who:
 * {@code token} or {@code loopback}, what, when; never the token). Event loop.
 */
final class ActiveCallsApi {

    private static final System.Logger LOG = System.getLogger(ActiveCallsApi.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ACTIVE = "active";
    static final String SAY = "say";
    static final String INSTRUCTIONS = "instructions";
    static final String HANGUP = "hangup";
    static final String TRANSFER = "transfer";
    /** A SIP or SIPS URI, no longer than a header line should be, with no characters that would break out of one. */
    private static final Pattern SIP_URI = Pattern.compile(
            "sips?:[^\\s<>\"]{1,250}");
    static final String LISTEN = "listen";
    static final String LISTEN_TICKET = "listen-ticket";
    /** How long a request waits for the calls' loops; a loop this late is overloaded. */
    static final long ANSWER_WITHIN_MS = 5_000;

    private final ActiveCalls calls;
    private final InstantSource wallClock;
    private final ListenTickets tickets;
    private final AuditLog auditLog;

    ActiveCallsApi(ActiveCalls calls, InstantSource wallClock, ListenTickets tickets) {
        this(calls, wallClock, tickets, AuditLog.off(wallClock));
    }

    ActiveCallsApi(ActiveCalls calls, InstantSource wallClock, ListenTickets tickets, AuditLog auditLog) {
        this.calls = calls;
        this.wallClock = wallClock;
        this.tickets = tickets;
        this.auditLog = auditLog;
    }

    /** True when {@code action} is one of the actions this API takes. */
    static boolean isAction(String action) {
        return action.equals(SAY) || action.equals(INSTRUCTIONS) || action.equals(HANGUP) || action.equals(TRANSFER);
    }

    /** {@code GET /api/calls/active}. */
    void list(Exchange exchange) {
        calls.list().orTimeout(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS).whenComplete((list, error) -> {
            if (error != null) {
                sendFailure(exchange, error);
                return;
            }
            sendUncached(exchange, render(list));
        });
    }

    /** {@code POST /api/calls/{id}/{name}}, {@code name} one of {@link #isAction}. */
    void act(Exchange exchange, CallId id, String name) throws ApiException {
        SameOrigin.check(exchange);
        LiveAction action = switch (name) {
            case SAY -> new LiveAction.Say(field(exchange, "text"));
            case INSTRUCTIONS -> new LiveAction.Instructions(field(exchange, "instructions"));
            case HANGUP -> new LiveAction.HangUp();
            case TRANSFER -> transfer(exchange);
            default -> throw ApiException.notFound("no such action");
        };
        String by = exchange.tokenUsed() ? "token" : "loopback";
        Instant at = wallClock.instant();
        Optional<CompletableFuture<Void>> pending = calls.act(id.value(), action, by);
        if (pending.isEmpty()) {
            audit(exchange, action, id, by, at, "no such call in progress");
            exchange.sendError(ApiException.notFound("no call in progress has this id"));
            return;
        }
        pending.get().orTimeout(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS).whenComplete((done, error) -> {
            if (error != null) {
                audit(exchange, action, id, by, at, "refused, " + cause(error));
                sendFailure(exchange, error);
                return;
            }
            audit(exchange, action, id, by, at, "done");
            sendUncached(exchange, MAPPER.createObjectNode().put("id", id.value()).put("action", action.name())
                    .put("by", by).toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** {@code POST /api/calls/{id}/listen-ticket}: a one-use ticket for the listen socket ({@link ListenTickets}). */
    void ticket(Exchange exchange, CallId id) throws ApiException {
        SameOrigin.check(exchange);
        String ticket = tickets.issue(id.value());
        if (ticket == null) {
            FullHttpResponse busy = Exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY,
                    "too many listen tickets outstanding; retry shortly");
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            exchange.send(busy);
            return;
        }
        sendUncached(exchange, MAPPER.createObjectNode().put("ticket", ticket)
                .put("expires_in_ms", TimeUnit.SECONDS.toMillis(ListenTickets.TTL_SECONDS))
                .put("subprotocol", ListenSocket.SUBPROTOCOL).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with a JSON body that no cache may keep (it describes a moment of a live call). */
    private static void sendUncached(Exchange exchange, byte[] json) {
        FullHttpResponse response = Exchange.full(HttpResponseStatus.OK, Unpooled.wrappedBuffer(json), Exchange.JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        exchange.send(response);
    }

    /** {@code GET /api/calls/{id}/listen}: the WebSocket upgrade to a live feed of the call ({@link ListenSocket}). */
    void listen(Exchange exchange, CallId id) throws ApiException {
        SameOrigin.check(exchange);
        if (!exchange.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
            throw ApiException.badRequest(ErrorCodes.BAD_REQUEST, "this resource is a WebSocket (RFC 6455): send"
                    + " Upgrade: websocket");
        }
        String by = exchange.tokenUsed() ? "token" : "loopback";
        Optional<CompletableFuture<ListenFeed>> pending = calls.listen(id.value());
        if (pending.isEmpty()) {
            audit(exchange, "listen", id, by, wallClock.instant(), "no such call in progress");
            exchange.sendError(ApiException.notFound("no call in progress has this id"));
            return;
        }
        Instant at = wallClock.instant();
        pending.get().orTimeout(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS).whenCompleteAsync((feed, error) -> {
            if (error != null) {
                audit(exchange, "listen", id, by, at, "refused, " + cause(error));
                sendFailure(exchange, error);
                return;
            }
            audit(exchange, "listen", id, by, at, "started");
            ListenSocket.upgrade(exchange, feed, id.value());
        }, exchange.channel().eventLoop());
    }

    /** {@code {"target": "sip:…", "reason": …}}: the target must be a SIP URI; the reason is optional. */
    private static LiveAction.Transfer transfer(Exchange exchange) throws ApiException {
        String target = field(exchange, "target");
        if (!SIP_URI.matcher(target).matches()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "\"target\" must be a sip: or sips: URI");
        }
        String reason;
        try {
            JsonNode value = MAPPER.readTree(exchange.body()).get("reason");
            reason = value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
        } catch (IOException e) {
            reason = null;
        }
        return new LiveAction.Transfer(target, reason);
    }

    /** A non-blank string field of the JSON object body; 400 naming it otherwise. */
    private static String field(Exchange exchange, String name) throws ApiException {
        JsonNode value;
        try {
            JsonNode root = MAPPER.readTree(exchange.body());
            value = root == null || !root.isObject() ? null : root.get(name);
        } catch (IOException e) {
            value = null;
        }
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "the body must be a JSON object whose \"" + name
                    + "\" is a non-empty string");
        }
        return value.textValue();
    }

    /** Never the text itself (it may hold what a caller must not hear logged), only its length. */
    private void audit(Exchange exchange, LiveAction action, CallId id, String by, Instant at, String outcome) {
        audit(exchange, switch (action) {
            case LiveAction.Say say -> "say (" + say.text().length() + " characters)";
            case LiveAction.Instructions set -> "instructions (" + set.instructions().length() + " characters)";
            case LiveAction.HangUp hangUp -> "hangup";
            case LiveAction.Transfer transfer -> "transfer to " + transfer.target();
        }, id, by, at, outcome);
    }

    private void audit(Exchange exchange, String what, CallId id, String by, Instant at, String outcome) {
        LOG.log(Level.INFO, "audit: {0} on call {1} by {2} at {3}: {4}", what, id, by, CallJson.utc(at), outcome);
        int space = what.indexOf(' ');
        auditLog.record(exchange, "live_" + (space < 0 ? what : what.substring(0, space)), id.value(),
                what + ": " + outcome);
    }

    private static void sendFailure(Exchange exchange, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        switch (cause) {
            case ActiveCalls.CallNotActive notActive -> exchange.sendError(HttpResponseStatus.CONFLICT,
                    ErrorCodes.CALL_NOT_ACTIVE, notActive.getMessage());
            case TimeoutException timeout -> {
                FullHttpResponse busy = Exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY,
                        "the call did not answer within " + ANSWER_WITHIN_MS + " ms; retry shortly");
                busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                exchange.send(busy);
            }
            default -> {
                LOG.log(Level.ERROR, "live call request " + exchange.rawPath() + " failed", cause);
                exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                        "the request failed inside the gateway");
            }
        }
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof TimeoutException ? "the call did not answer in time" : cause.getMessage();
    }

    static byte[] render(List<ActiveCalls.ActiveCall> list) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("calls");
        for (ActiveCalls.ActiveCall call : list) {
            array.addObject().put("id", call.id()).put("sip_call_id", call.sipCallId()).put("from", call.from())
                    .put("to", call.to()).put("started_at", CallJson.utc(call.startedAt()))
                    .put("answered_at", call.answeredAt() == null ? null : CallJson.utc(call.answeredAt()))
                    .put("state", call.state()).put("duration_ms", call.durationMs());
        }
        try {
            return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }
}
