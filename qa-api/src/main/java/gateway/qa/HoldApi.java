package gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallStatus;
import gateway.library.LegalHold;
import gateway.library.StoredFile;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /api/calls/{id}/hold}: {@code GET} tells whether the call is under legal hold (anyone who may read it);
 * {@code PUT} (optional body {@code {"reason": "…"}}) places the hold and {@code DELETE} lifts it (admins; audited
 * as {@code legal_hold_on} / {@code legal_hold_off}). The hold is the file {@code legal-hold.json} beside call.json.
 */
final class HoldApi {

    static final String HOLD = "hold";
    static final Methods METHODS = new Methods(java.util.List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
            HttpMethod.DELETE));
    /** The longest reason kept: a case number and a sentence. */
    static final int MAX_REASON_CHARS = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CallLibrary library;
    private final AuditLog audit;

    HoldApi(CallLibrary library, AuditLog audit) {
        this.library = library;
        this.audit = audit;
    }

    /** {@code PUT} or {@code DELETE}, on the event loop; the file is written on the library's thread. */
    void change(Exchange exchange, CallId id) throws ApiException {
        CallsApi.requireAdmin(exchange);
        SameOrigin.check(exchange);
        boolean on = HttpMethod.PUT.equals(exchange.method());
        LegalHold hold = on ? new LegalHold(audit.clock().instant(), exchange.principal().name(), reason(exchange))
                : null;
        library.hold(id, hold).whenComplete((status, error) -> {
            if (error != null) {
                exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                        "the legal hold could not be " + (on ? "placed" : "lifted"));
                return;
            }
            switch (status) {
                case FINISHED -> {
                    audit.record(exchange, on ? "legal_hold_on" : "legal_hold_off", id.value(),
                            on && !hold.reason().isEmpty() ? hold.reason() : null);
                    exchange.sendJson(HttpResponseStatus.OK, body(id, hold));
                }
                case ABSENT -> exchange.sendError(ApiException.notFound("no call with this id"));
                case IN_PROGRESS -> exchange.sendError(HttpResponseStatus.CONFLICT, ErrorCodes.CALL_IN_PROGRESS,
                        "the call is still being recorded; hold it when it has ended");
                default -> throw new IllegalStateException("unknown status " + status);
            }
        });
    }

    /** Whether {@code exchange} only reads the hold (then {@link #read} answers it on the I/O executor). */
    static boolean reads(Exchange exchange) {
        return HttpMethod.GET.equals(exchange.method()) || exchange.isHead();
    }

    /** {@code GET}: the hold or {@code "held": false}; 404 when there is no such finished call. I/O thread. */
    void read(Exchange exchange, CallId id) throws IOException, ApiException {
        CallStatus status = library.store().status(id);
        if (status == CallStatus.ABSENT) {
            throw ApiException.notFound("no call with this id");
        }
        Optional<StoredFile> file = library.store().open(id, CallFile.LEGAL_HOLD);
        LegalHold hold = null;
        if (file.isPresent()) {
            try (StoredFile f = file.get()) {
                hold = LegalHold.read(f.readAll());
            }
        }
        exchange.sendJson(HttpResponseStatus.OK, body(id, hold));
    }

    private static byte[] body(CallId id, LegalHold hold) {
        ObjectNode root = MAPPER.createObjectNode().put("id", id.value()).put("legal_hold", hold != null);
        if (hold != null) {
            root.setAll(hold.toNode());
        }
        return (root + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The optional {@code reason} of a PUT's JSON body; an empty body means none. */
    private static String reason(Exchange exchange) throws ApiException {
        if (exchange.body().length == 0) {
            return "";
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(exchange.body());
        } catch (IOException e) {
            root = null;
        }
        JsonNode reason = root == null || !root.isObject() ? null : root.path("reason");
        if (reason == null || !(reason.isMissingNode() || reason.isTextual())
                || reason.asText("").length() > MAX_REASON_CHARS) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "the body must be empty or a JSON object whose"
                    + " optional \"reason\" is a string of at most " + MAX_REASON_CHARS + " characters");
        }
        return reason.asText("");
    }
}
