package gateway.bridge.metrics;

import gateway.library.CallQuality;
import gateway.rtp.RtpSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics: calls by outcome, media-path latencies, RTP and RTCP packet counts, the media
 * quality of finished calls as histograms (no call ids in labels) and JVM memory. Thread-safe; the per-packet
 * recorders allocate nothing.
 */
public final class GatewayMetrics {

    /** The outbound-skipped reasons: a tick skipped after a loop stall, a packet not sent for a busy socket. */
    public static final String LATE_TICK = "late_tick";
    public static final String SOCKET_BUSY = "busy";
    /** The tool label of a call of a tool the agent does not have. */
    public static final String OTHER_TOOL = "other";
    /** How a tool call ended. */
    public static final List<String> TOOL_OUTCOMES = List.of("ok", "error", "timeout", "refused");
    /** Prometheus names times in seconds (its base unit); the gateway measures in ms and ns. */
    private static final double MS_PER_SECOND = 1_000.0;
    private static final double MICROS_PER_MS = 1_000.0;
    /** The rate limits rate_limits.updated reports (docs/realtime-protocol.md §4). */
    static final List<String> RATE_LIMIT_NAMES = List.of("requests", "tokens");
    /** Error codes counted by name; any other is counted as {@code other}, so the label set stays bounded. */
    static final Set<String> KNOWN_ERROR_CODES = Set.of("rate_limit_exceeded",
            "conversation_already_has_active_response", "response_cancel_not_active", "invalid_value",
            "unknown_parameter", "missing_required_parameter", "invalid_type", "invalid_event", "invalid_json",
            "input_audio_buffer_commit_empty", "invalid_tool_call_id", "session_expired", "server_error",
            "invalid_api_key", "insufficient_quota");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger active = new AtomicInteger();
    private final Counter offered;
    private final Counter answered;
    private final Map<String, Counter> refused = new HashMap<>();
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    private final Counter recordingsWritten;
    private final Counter recordingsFailed;
    private final LatencyHistogram inboundLatency = new LatencyHistogram();
    private final LatencyHistogram playoutLateness = new LatencyHistogram();
    private final PlayoutLag playoutLag = new PlayoutLag();
    private final LatencyHistogram firstAudioDelay = new LatencyHistogram();
    private final Counter rtpReceived;
    private final Counter rtpSent;
    private final Counter rtpLost;
    private final Counter stunAnswered;
    private final Map<String, Counter> rtpDiscarded = new HashMap<>();
    private final Map<String, Counter> rtpSkipped = new HashMap<>();
    private final Counter rtpConcealedMs;
    private final Counter rtpStreamRestarts;
    private final Counter rtcpReceived;
    private final Counter rtcpSent;
    private final Timer callJitter;
    private final Timer callRtt;
    private final Timer callSetup;
    private final Timer realtimeConnect;
    private final DistributionSummary callLoss;
    private final DistributionSummary callRating;
    private final Counter playoutOverflow;
    private final Counter holds;
    private final Map<String, Counter> sessionSwitches = new HashMap<>();
    private final Map<String, Counter> toolCalls = new ConcurrentHashMap<>();
    private final Map<String, Timer> toolLatency = new ConcurrentHashMap<>();
    private final Map<String, Counter> realtimeErrors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rateLimits = new HashMap<>();
    private final Map<String, Counter> tokens = new HashMap<>();
    /**
     * The suppliers behind {@link #counter}: Micrometer holds a function counter's object weakly, so without this
     * a supplier made for the call (a lambda) would be collected and its series read 0.
     */
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();

    /** Metrics whose calls-ended series appear as each end reason first occurs. */
    public GatewayMetrics() {
        this(List.of());
    }

    /** Metrics with a calls-ended series, at 0, for each of {@code endReasons} from the start. */
    public GatewayMetrics(Collection<String> endReasons) {
        Gauge.builder("gateway_calls_active", active, AtomicInteger::get)
                .description("Calls in progress, ringing or answered").register(registry);
        offered = Counter.builder("gateway_calls_offered")
                .description("INVITEs that started a call").register(registry);
        answered = Counter.builder("gateway_calls_answered")
                .description("Calls answered with 200 OK").register(registry);
        for (String reason : new String[] {"capacity", "recorder_backlog", "media_lag", "disk_full", "draining",
                "unknown_number", "profile_source"}) {
            refused.put(reason, Counter.builder("gateway_calls_refused").tag("reason", reason)
                    .description("INVITEs refused before anything is opened: 503 at the call limit, while the"
                            + " recorder or the media loops are behind, the recordings disk is full or while"
                            + " draining, 404 for a number no route"
                            + " takes, 403 for a source its profile refuses (sources refused before parsing are in"
                            + " gateway_sip_refused)")
                    .register(registry));
        }
        endReasons.forEach(this::endedCounter);
        recordingsWritten = Counter.builder("gateway_recordings_written").register(registry);
        recordingsFailed = Counter.builder("gateway_recordings_failed").register(registry);
        quantiles("gateway_inbound_latency_us", "RTP packet received to its audio written to the WebSocket",
                inboundLatency);
        quantiles("gateway_playout_lateness_us", "Pacer tick run time minus its target time", playoutLateness);
        registry.getPrometheusRegistry().register(new LatencyHistogramCollector("gateway_inbound_latency_seconds",
                "RTP packet received to its audio written to the WebSocket", inboundLatency));
        registry.getPrometheusRegistry().register(new LatencyHistogramCollector("gateway_playout_lateness_seconds",
                "Pacer tick run time minus its target time", playoutLateness));
        Gauge.builder("gateway_playout_late_ratio", playoutLag, PlayoutLag::lastLateRatio)
                .description("Share of the last second's pacer ticks that ran 5 ms or more late (admission refuses"
                        + " new calls at " + PlayoutLag.LATE_PERCENT + " % two seconds running, ten calls or more up)")
                .register(registry);
        quantiles("gateway_first_audio_delay_us", "First audio delta of a response received to its first frame played",
                firstAudioDelay);
        rtpReceived = Counter.builder("gateway_rtp_packets_received").register(registry);
        rtpSent = Counter.builder("gateway_rtp_packets_sent").register(registry);
        rtpLost = Counter.builder("gateway_rtp_packets_lost").description("Sequence gaps filled with silence")
                .register(registry);
        stunAnswered = Counter.builder("gateway_rtp_stun_answered")
                .description("STUN Binding requests answered on RTP ports (RFC 5389)").register(registry);
        for (String reason : new String[] {"late", "duplicate", "malformed", "ignored", "before_start", "srtp_auth",
                "srtp_replay", "srtp_invalid", "stun", "not_rtp"}) {
            rtpDiscarded.put(reason, Counter.builder("gateway_rtp_inbound_discarded").tag("reason", reason)
                    .register(registry));
        }
        for (String reason : new String[] {SOCKET_BUSY, LATE_TICK}) {
            rtpSkipped.put(reason, Counter.builder("gateway_rtp_outbound_skipped").tag("reason", reason)
                    .description("Pacer ticks whose packet was not sent, counted as it happens: late_tick = skipped"
                            + " after a media-loop stall past the catch-up limit, busy = the previous packet was"
                            + " still queued in the socket")
                    .register(registry));
        }
        rtpConcealedMs = Counter.builder("gateway_rtp_concealed_seconds")
                .description("Caller audio concealed because its packets did not come in time")
                .register(registry);
        rtpStreamRestarts = Counter.builder("gateway_rtp_stream_restarts")
                .description("Caller streams that started afresh mid-call: a new SSRC, or jumps in numbering or clock")
                .register(registry);
        rtcpReceived = Counter.builder("gateway_rtcp_packets_received").register(registry);
        rtcpSent = Counter.builder("gateway_rtcp_packets_sent").register(registry);
        callJitter = times("gateway_call_jitter", "Each finished call's mean RFC 3550 interarrival jitter",
                1, 2, 5, 10, 20, 40, 80, 160);
        callRtt = times("gateway_call_rtt", "Each finished call's mean RTCP round-trip time, where measured",
                10, 25, 50, 100, 200, 400, 800);
        callSetup = times("gateway_call_setup", "INVITE received to 200 OK sent, per answered call",
                100, 250, 500, 1_000, 2_000, 5_000, 10_000);
        realtimeConnect = times("gateway_realtime_connect",
                "Realtime WebSocket connection asked to open (handshake done), per successful connection",
                50, 100, 250, 500, 1_000, 2_000, 5_000);
        callLoss = histogram("gateway_call_loss_percent",
                "Each finished call's caller packets that missed their turn (lost or late), in percent of expected",
                1, 2, 5, 10, 20);
        callRating = histogram("gateway_call_r_factor",
                "Each finished call's E-model rating R of the caller's leg (G.109 bands: 90 best, 80 high, 70"
                        + " medium, 60 low, 50 poor)", 50, 60, 70, 80, 90);
        playoutOverflow = Counter.builder("gateway_playout_overflow_samples")
                .description("Agent audio dropped, in 24 kHz samples, because a call's playout queue was full")
                .register(registry);
        holds = Counter.builder("gateway_call_holds").description("Times a caller put a call on hold")
                .register(registry);
        for (String reason : new String[] {"rollover", "reconnect"}) {
            sessionSwitches.put(reason, Counter.builder("gateway_realtime_session_switches").tag("reason", reason)
                    .description("Realtime sessions that took over a call: planned rollovers and reconnects")
                    .register(registry));
        }
        for (String name : RATE_LIMIT_NAMES) {
            for (String what : new String[] {"limit", "remaining"}) {
                AtomicLong value = new AtomicLong(-1);
                rateLimits.put(name + "/" + what, value);
                Gauge.builder("gateway_realtime_rate_limit_" + what, value, AtomicLong::get).tag("name", name)
                        .description("The Realtime service's rate limit as its last rate_limits.updated gave it"
                                + " (-1 before any)").register(registry);
            }
        }
        for (String[] kind : new String[][] {{"input", "text"}, {"input", "audio"}, {"input", "cached"},
                {"output", "text"}, {"output", "audio"}}) {
            tokens.put(kind[0] + "/" + kind[1], Counter.builder("gateway_realtime_tokens").tag("direction", kind[0])
                    .tag("kind", kind[1]).description("Tokens the Realtime sessions reported in response.done"
                            + " (cached: the part of the input served from the cache)").register(registry));
        }
        new JvmMemoryMetrics().bindTo(registry);
    }

    /** Tool-call series at 0 for each of {@code names} (the tools the agent may call), so dashboards see them. */
    public void registerTools(Collection<String> names) {
        for (String name : names) {
            for (String outcome : TOOL_OUTCOMES) {
                toolCounter(name, outcome);
            }
            toolTimer(name);
        }
    }

    /**
     * A tool call finished: {@code tool} is its name (one the agent may call, {@link #OTHER_TOOL}, or
     * {@code mcp:<server label>}), {@code outcome} one of {@link #TOOL_OUTCOMES}, {@code nanos} how long it took.
     */
    public void toolCalled(String tool, String outcome, long nanos) {
        toolCounter(tool, outcome).increment();
        toolTimer(tool).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter toolCounter(String tool, String outcome) {
        return toolCalls.computeIfAbsent(tool + "/" + outcome, k -> Counter.builder("gateway_tool_calls")
                .tag("tool", tool).tag("outcome", outcome)
                .description("Tool calls by tool and outcome (ok, error, timeout, refused)").register(registry));
    }

    private Timer toolTimer(String tool) {
        return toolLatency.computeIfAbsent(tool, t -> Timer.builder("gateway_tool_call").tag("tool", t)
                .description("How long tool calls took, from the model's arguments to the answer")
                .register(registry));
    }

    /**
     * The Realtime service reported an error ({@code error} event or a failed response), counted by kind (rate_limit,
     * invalid_request, server_error, other) and code (the known ones; others as {@code other}).
     */
    public void realtimeError(String type, String code) {
        String label = code != null && KNOWN_ERROR_CODES.contains(code) ? code : "other";
        String kind = errorKind(type, code);
        realtimeErrors.computeIfAbsent(kind + "/" + label, k -> Counter.builder("gateway_realtime_errors")
                .tag("kind", kind).tag("code", label)
                .description("Errors the Realtime service reported, by kind and code").register(registry)).increment();
    }

    /** rate_limit when the type or code says so, else by the error's type. */
    static String errorKind(String type, String code) {
        String t = String.valueOf(type);
        String c = String.valueOf(code);
        if (t.contains("rate_limit") || c.contains("rate_limit") || t.equals("tokens") || t.equals("requests")) {
            return "rate_limit";
        }
        if (t.equals("invalid_request_error")) {
            return "invalid_request";
        }
        return t.equals("server_error") ? "server_error" : "other";
    }

    /** A rate limit from rate_limits.updated; names other than {@link #RATE_LIMIT_NAMES} are ignored. */
    public void rateLimit(String name, long limit, long remaining) {
        AtomicLong l = rateLimits.get(name + "/limit");
        if (l != null) {
            l.set(limit);
            rateLimits.get(name + "/remaining").set(remaining);
        }
    }

    /** The tokens one response used, as its response.done reported them. */
    public void tokensUsed(long inputText, long inputAudio, long inputCached, long outputText, long outputAudio) {
        tokens.get("input/text").increment(inputText);
        tokens.get("input/audio").increment(inputAudio);
        tokens.get("input/cached").increment(inputCached);
        tokens.get("output/text").increment(outputText);
        tokens.get("output/audio").increment(outputAudio);
    }

    /**
     * A histogram over whole-number bucket bounds: Micrometer's bucketed histograms record a value rounded up to a
     * whole number, which is exact against whole-number bounds and only there.
     */
    private DistributionSummary histogram(String name, String description, double... buckets) {
        return DistributionSummary.builder(name).description(description).serviceLevelObjectives(buckets)
                .register(registry);
    }

    /**
     * A histogram of times over bucket bounds in ms, exposed in seconds as {@code <name>_seconds_bucket},
     * {@code _count} and {@code _sum} (a Micrometer timer, which keeps fractions of a second exact).
     */
    private Timer times(String name, String description, long... boundsMs) {
        Duration[] bounds = new Duration[boundsMs.length];
        for (int i = 0; i < boundsMs.length; i++) {
            bounds[i] = Duration.ofMillis(boundsMs[i]);
        }
        return Timer.builder(name).description(description).serviceLevelObjectives(bounds).register(registry);
    }

    private void quantiles(String name, String description, LatencyHistogram h) {
        for (String q : new String[] {"0.5", "0.99", "0.999"}) {
            double quantile = Double.parseDouble(q);
            Gauge.builder(name, h, x -> x.quantileMicros(quantile)).tag("quantile", q).description(description)
                    .register(registry);
        }
        Gauge.builder(name + "_count", h, LatencyHistogram::count).register(registry);
    }

    /** One caller packet's trip from the RTP socket to the WebSocket write. */
    public void inboundLatency(long nanos) {
        inboundLatency.recordNanos(nanos);
    }

    /** {@code count} pacer ticks whose packet was not sent, for {@link #LATE_TICK} or {@link #SOCKET_BUSY}. */
    public void outboundSkipped(String reason, long count) {
        rtpSkipped.get(reason).increment(count);
    }

    /** How late one pacer tick ran. */
    public void playoutLateness(long nanos) {
        playoutLateness.recordNanos(nanos);
        playoutLag.record(nanos);
    }

    /** The media loops' lag, from the same ticks, for admission. */
    public PlayoutLag playoutLag() {
        return playoutLag;
    }

    /** From a response's first audio delta to its first played frame. */
    public void firstAudioDelay(long nanos) {
        firstAudioDelay.recordNanos(nanos);
    }

    /** Adds one finished call's RTP counters. */
    public void rtpTotals(RtpSession rtp) {
        rtpReceived.increment(rtp.packetsReceived());
        rtpSent.increment(rtp.packetsSent());
        rtpLost.increment(rtp.packetsLost());
        rtpDiscarded.get("late").increment(rtp.packetsDroppedLate());
        rtpDiscarded.get("duplicate").increment(rtp.packetsDuplicated());
        rtpConcealedMs.increment(rtp.concealedMs() / MS_PER_SECOND);
        rtpStreamRestarts.increment(rtp.streamRestarts());
        rtcpReceived.increment(rtp.rtcpReceived());
        rtcpSent.increment(rtp.rtcpSent());
        rtpDiscarded.get("malformed").increment(rtp.malformed());
        rtpDiscarded.get("ignored").increment(rtp.packetsIgnored());
        rtpDiscarded.get("before_start").increment(rtp.packetsBeforeStart());
        rtpDiscarded.get("srtp_auth").increment(rtp.srtpAuthFailures());
        rtpDiscarded.get("srtp_replay").increment(rtp.srtpReplays());
        rtpDiscarded.get("srtp_invalid").increment(rtp.srtpInvalid());
        rtpDiscarded.get("stun").increment(rtp.stunDropped());
        rtpDiscarded.get("not_rtp").increment(rtp.notRtpDropped());
        stunAnswered.increment(rtp.stunAnswered());
    }

    /** Adds one finished call's media quality to the histograms; nothing for a call without media (null). */
    public void callQuality(CallQuality quality) {
        if (quality == null || quality.packetsExpected() == 0) {
            return;
        }
        callJitter.record(Math.round(quality.jitterMs() * MICROS_PER_MS), TimeUnit.MICROSECONDS);
        if (quality.rttMs() != null) {
            callRtt.record(Math.round(quality.rttMs() * MICROS_PER_MS), TimeUnit.MICROSECONDS);
        }
        callLoss.record(100.0 * (Math.max(0, quality.packetsLost()) + quality.packetsLate())
                / quality.packetsExpected());
        if (quality.rFactor() != null) {
            callRating.record(quality.rFactor());
        }
    }

    /** Adds one finished call's agent audio that did not fit its playout queue. */
    public void playoutOverflow(long samples) {
        playoutOverflow.increment(samples);
    }

    /** A caller put a call on hold. */
    public void callHeld() {
        holds.increment();
    }

    /** A new Realtime session took over a call; {@code reason} is {@code rollover} or {@code reconnect}. */
    public void realtimeSessionSwitched(String reason) {
        Counter counter = sessionSwitches.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }

    public void recordingFinished(boolean ok) {
        (ok ? recordingsWritten : recordingsFailed).increment();
    }

    public void callOffered() {
        offered.increment();
        active.incrementAndGet();
    }

    /**
     * An INVITE refused before anything was opened; {@code reason} is {@code capacity}, {@code recorder_backlog},
     * {@code media_lag} or {@code draining} (503), {@code unknown_number} (404) or {@code profile_source} (403).
     */
    public void callRefused(String reason) {
        Counter counter = refused.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("unknown refusal reason: " + reason);
        }
        counter.increment();
    }

    public void callAnswered() {
        answered.increment();
    }

    /** An answered call took {@code setup} from its INVITE to its 200 OK. */
    public void callSetUp(Duration setup) {
        callSetup.record(setup);
    }

    /** A Realtime connection opened {@code nanos} after it was asked for. */
    public void realtimeConnected(long nanos) {
        realtimeConnect.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A call ended; {@code reason} is its end reason as call.json gives it ({@code caller_bye}, …). */
    public void callEnded(String reason) {
        endedCounter(reason).increment();
        active.decrementAndGet();
    }

    private Counter endedCounter(String reason) {
        return ended.computeIfAbsent(reason, r -> Counter.builder("gateway_calls_ended").tag("reason", r)
                .description("Calls ended, by reason").register(registry));
    }

    /** Exposes a value read at scrape time, e.g. the recorder's backlog. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Exposes a count kept elsewhere (it only grows) as a counter, {@code name_total}, read at scrape time. */
    public void counter(String name, String description, Supplier<Number> value) {
        counted.add(value);
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(registry);
    }

    /** As {@link #gauge(String, String, Supplier)}, one series of a family told apart by the label {@code tag}. */
    public void gauge(String name, String description, String tag, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag(tag, tagValue).register(registry);
    }

    /** As {@link #counter(String, String, Supplier)}, one series of a family told apart by the label {@code tag}. */
    public void counter(String name, String description, String tag, String tagValue, Supplier<Number> value) {
        counted.add(value);
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).tag(tag, tagValue)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
