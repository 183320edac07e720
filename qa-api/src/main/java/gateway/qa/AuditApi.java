package gateway.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/audit?since=&until=&call=&actor=&action=&offset=&limit=} (admins): the audit log's events, oldest
 * first, as {@code {"events": [...], "next_offset": n | null}}. Times as in {@code GET /api/calls}.
 */
final class AuditApi {

    static final String AUDIT = "audit";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMETERS = Set.of("since", "until", "call", "actor", "action", "offset",
            "limit");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    /** The query of a request, checked on the event loop. */
    record Query(AuditLog.Filter filter, long offset, int limit) {
    }

    static Query parse(Map<String, List<String>> parameters) throws ApiException {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest(ErrorCodes.UNKNOWN_PARAMETER, "this resource takes only "
                        + PARAMETERS.stream().sorted().toList());
            }
        }
        Instant since = ListParameters.instant(parameters, "since");
        Instant until = ListParameters.instant(parameters, "until");
        long limit = ListParameters.number(parameters, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "limit must be 1 to " + MAX_LIMIT);
        }
        return new Query(new AuditLog.Filter(since, until, ListParameters.text(parameters, "call"),
                ListParameters.text(parameters, "actor"), ListParameters.text(parameters, "action")),
                ListParameters.number(parameters, "offset", 0), (int) limit);
    }

    /** Reads the log; I/O thread. */
    void answer(Exchange exchange, Query query) throws IOException {
        AuditLog.Page page = audit.query(query.filter(), query.offset(), query.limit());
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode events = root.putArray("events");
        page.events().forEach(e -> events.add(e.toJson()));
        if (page.nextOffset() < 0) {
            root.putNull("next_offset");
        } else {
            root.put("next_offset", page.nextOffset());
        }
        FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                Unpooled.copiedBuffer(root + "\n", StandardCharsets.UTF_8), Exchange.JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        exchange.send(response);
    }
}
