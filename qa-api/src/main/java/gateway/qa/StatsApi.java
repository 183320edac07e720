package gateway.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallJson;
import gateway.library.CallLibrary;
import gateway.library.CallStats;
import gateway.library.StatsQuery;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/stats?since=&until=&profile=&bucket=hour|day}: per UTC hour or day, the calls that started in it,
 * how many were answered, their end reasons, their durations, the distribution of their 95th-percentile reply times
 * and the share of them with talk-over and with dead air. Answered from the index (no file is read), for any role
 * that may list calls, and audited like the list ({@code stats}).
 *
 * <p>{@code bucket} defaults to {@code hour}; {@code until} to the end of the current bucket; {@code since} to
 * {@value #DEFAULT_BUCKETS} buckets before {@code until}. A span of more than {@link StatsQuery#MAX_BUCKETS} buckets,
 * or any other bad value, is a 400 naming the parameter.
 */
final class StatsApi {

    static final String STATS = "stats";
    /** Buckets shown when since is not given: a day of hours, or 24 days. */
    static final int DEFAULT_BUCKETS = 24;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("since", "until", "profile", "bucket");

    private final CallLibrary library;
    private final AuditLog audit;
    private final InstantSource clock;

    StatsApi(CallLibrary library, AuditLog audit) {
        this.library = library;
        this.audit = audit;
        this.clock = audit.clock();
    }

    /** Parses on the event loop, counts on the I/O executor. */
    void handle(Exchange exchange, CallsApi calls) throws ApiException {
        StatsQuery query = parse(exchange.parameters(), clock.instant());
        calls.offload(exchange, () -> {
            Optional<CallStats> stats = library.stats(query);
            if (stats.isEmpty()) {
                exchange.send(CallsApi.indexBuilding());
                return;
            }
            audit.record(exchange, STATS, null, exchange.rawQuery());
            FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(render(stats.get())), Exchange.JSON);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            exchange.send(response);
        });
    }

    static StatsQuery parse(Map<String, List<String>> parameters, Instant now) throws ApiException {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (!KNOWN.contains(p.getKey())) {
                throw ApiException.badRequest(ErrorCodes.UNKNOWN_PARAMETER, "unknown parameter; known: bucket,"
                        + " profile, since, until");
            }
            if (p.getValue().size() > 1) {
                throw invalid(p.getKey(), "is given more than once");
            }
        }
        StatsQuery.Bucket bucket = bucket(parameters);
        Instant until = ListParameters.instant(parameters, "until");
        if (until == null) {
            until = bucket.floor(now).plus(bucket.width());
        }
        Instant since = ListParameters.instant(parameters, "since");
        if (since == null) {
            since = bucket.floor(until.minusMillis(1)).minus(bucket.width().multipliedBy(DEFAULT_BUCKETS - 1));
        }
        if (!since.isBefore(until)) {
            throw invalid("since", "must be before until");
        }
        if (StatsQuery.bucketCount(since, until, bucket) > StatsQuery.MAX_BUCKETS) {
            throw invalid("since", "is more than " + StatsQuery.MAX_BUCKETS + " " + bucket.jsonName()
                    + "s before until");
        }
        String profile = ListParameters.profile(parameters);
        return new StatsQuery(since, until, profile, bucket);
    }

    private static StatsQuery.Bucket bucket(Map<String, List<String>> parameters) throws ApiException {
        List<String> raw = parameters.get("bucket");
        if (raw == null) {
            return StatsQuery.Bucket.HOUR;
        }
        for (StatsQuery.Bucket b : StatsQuery.Bucket.values()) {
            if (b.jsonName().equals(raw.get(0))) {
                return b;
            }
        }
        throw invalid("bucket", "must be hour or day");
    }

    /**
     * {@code {"since", "until", "bucket", "profile", "latency": "per_call_p95", "buckets": [{start, end, calls,
     * answered, end_reasons: {reason: n}, duration_ms: {sum, mean}, latency_ms: {calls, p50, p95}, analysed,
     * talk_over: {calls, rate}, dead_air: {calls, rate}}]}}.
     */
    static byte[] render(CallStats stats) {
        StatsQuery q = stats.query();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("since", CallJson.utc(q.since())).put("until", CallJson.utc(q.until()))
                .put("bucket", q.bucket().jsonName()).put("profile", q.profile()).put("latency", "per_call_p95");
        ArrayNode buckets = root.putArray("buckets");
        Duration width = q.bucket().width();
        for (CallStats.Bucket b : stats.buckets()) {
            ObjectNode n = buckets.addObject();
            n.put("start", CallJson.utc(b.start())).put("end", CallJson.utc(b.start().plus(width)))
                    .put("calls", b.calls()).put("answered", b.answered());
            ObjectNode reasons = n.putObject("end_reasons");
            b.endReasons().forEach(reasons::put);
            n.putObject("duration_ms").put("sum", b.durationSumMs()).put("mean", b.durationMeanMs());
            n.putObject("latency_ms").put("calls", b.withReplies()).put("p50", b.latencyP50Ms())
                    .put("p95", b.latencyP95Ms());
            n.put("analysed", b.analysed());
            n.putObject("talk_over").put("calls", b.talkOverCalls()).put("rate", rate(b.talkOverRate()));
            n.putObject("dead_air").put("calls", b.deadAirCalls()).put("rate", rate(b.deadAirRate()));
        }
        try {
            return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** Three decimals, as call.json's shares. */
    private static double rate(double r) {
        return Math.round(r * 1000) / 1000.0;
    }

    private static ApiException invalid(String name, String problem) {
        return ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + " " + problem);
    }
}
