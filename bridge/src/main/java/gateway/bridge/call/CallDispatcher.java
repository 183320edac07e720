package gateway.bridge.call;

import gateway.bridge.logging.CallScopedMediaListener;
import gateway.bridge.logging.CallScopedRealtimeListener;
import gateway.bridge.logging.CallScopedScheduler;
import gateway.realtime.RealtimeClient;
import gateway.realtime.RealtimeConnector;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpPortAllocator;
import gateway.rtp.RtpSettings;
import gateway.sip.CallHandler;
import gateway.sip.InboundCall;
import gateway.time.Clock;
import gateway.time.Scheduler;
import gateway.time.Throttle;
import gateway.transport.CallLogContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Takes each new INVITE from the SIP loop and gives the call its own media event loop (round robin over the group),
 * where the call's RTP channel, Realtime sockets and state all live. The calls of a loop share its
 * {@link PacingWheel} and scheduler, created with the loop's first call. Before anything is opened, INVITEs the
 * {@link Admission} refuses (call limit, recorder behind) get 503 with Retry-After; sources not allowed never get
 * here (the SIP layer refuses them before parsing). Before that, the call's routing profile is chosen
 * ({@link ProfileRouter}): a number it does not take gets 404, a source its profile does not allow 403.
 * When a call is over and its recording (if any) is on disk, its id goes to the {@code finishedCalls} hook, on the
 * thread that finished it (often the recorder writer): the hook must only hand the id on, never block. Threading:
 * {@link #onInvite} runs on the SIP loop.
 */
public final class CallDispatcher implements CallHandler {

    private static final System.Logger LOG = System.getLogger(CallDispatcher.class.getName());
    /** Refusals under overload come in bursts: one log line per 10 s, with how many were held back. */
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
    /**
     * Retry-After of the 503 a draining gateway gives (RFC 3261 §21.5.4): a proxy in front fails over at once; a
     * caller that retries by itself comes back after the instance has been replaced.
     */
    static final int DRAIN_RETRY_AFTER_SECONDS = 60;

    /** Where the Realtime service is and how to reach it. */
    public record RealtimeTarget(RealtimeClient client, URI url, String apiKey) {
        @Override
        public String toString() {
            return "RealtimeTarget[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "none" : "set")
                    + "]";
        }
    }

    /** A refusal by routing: the SIP status and reason phrase, and the metric's reason label. */
    private record Refusal(int status, String phrase, String reason) {
    }

    private static final Refusal UNKNOWN_NUMBER = new Refusal(404, "Not Found", "unknown_number");
    private static final Refusal PROFILE_SOURCE = new Refusal(403, "Forbidden", "profile_source");

    /** A media loop's shared pacing: its scheduler and wheel. */
    private record LoopServices(Scheduler scheduler, PacingWheel wheel) {
    }

    private final CallContext ctx;
    private final EventLoopGroup mediaLoops;
    private final InetAddress mediaBindAddress;
    private final RtpPortAllocator ports;
    private final RtpSettings rtpSettings;
    private final RealtimeTarget realtime;
    private final Admission admission;
    private final Throttle refusalLog = new Throttle(Clock.system(), REFUSAL_LOG_INTERVAL_NANOS);
    private final Consumer<String> finishedCalls;
    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private final Map<EventLoop, LoopServices> loops = new ConcurrentHashMap<>();
    private final RealtimeHealth realtimeHealth = new RealtimeHealth(Clock.system());
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean accepting = true;

    public CallDispatcher(CallContext ctx, EventLoopGroup mediaLoops, InetAddress mediaBindAddress,
                          RtpPortAllocator ports, RtpSettings rtpSettings, RealtimeTarget realtime,
                          Admission admission, Consumer<String> finishedCalls) {
        this.ctx = ctx;
        this.mediaLoops = mediaLoops;
        this.mediaBindAddress = mediaBindAddress;
        this.ports = ports;
        this.rtpSettings = rtpSettings;
        this.realtime = realtime;
        this.admission = admission;
        this.finishedCalls = finishedCalls;
    }

    @Override
    public void onInvite(InboundCall inbound) {
        if (!accepting) {
            ctx.metrics().callRefused("draining");
            inbound.reject(503, "Service Unavailable", DRAIN_RETRY_AFTER_SECONDS);
            return;
        }
        Optional<AgentProfile> routed = ctx.profiles().route(inbound);
        if (routed.isEmpty() || !routed.get().admits(inbound.source().getAddress())) {
            refuse(inbound, routed.isEmpty() ? UNKNOWN_NUMBER : PROFILE_SOURCE);
            return;
        }
        Admission.Decision decision = admission.decide(active.size());
        if (!decision.admitted()) {
            // The calls up keep their recordings whole: the newcomer is told to come back (RFC 3261 §21.5.4).
            ctx.metrics().callRefused(decision.refusal());
            long heldBack = refusalLog.tryReport();
            if (heldBack >= 0) {
                LOG.log(System.Logger.Level.WARNING, "INVITE {0} refused with 503, Retry-After {1} s: {2} ({3} calls"
                                + " up, limit {4}); {5} more refused since the last report", inbound.callId(),
                        decision.retryAfterSeconds(), decision.refusal(), active.size(), admission.maxCalls(),
                        heldBack);
            }
            inbound.reject(503, "Service Unavailable", decision.retryAfterSeconds());
            return;
        }
        EventLoop loop = mediaLoops.next();
        LoopServices services = loops.computeIfAbsent(loop, l -> {
            Scheduler scheduler = Scheduler.on(l);
            return new LoopServices(scheduler, new PacingWheel(scheduler));
        });
        String callId = CallIds.next(ctx.wallClock().instant());
        CallLogContext.Ids ids = new CallLogContext.Ids(callId, inbound.callId());
        inbound.logAs(ids);
        RealtimeConnector connector = listener -> {
            long asked = services.scheduler().nanoTime();
            return realtime.client().connect(realtime.url(), realtime.apiKey(), loop,
                    new CallScopedRealtimeListener(listener, ids)).whenComplete((connection, error) -> {
                        if (error == null) {
                            ctx.metrics().realtimeConnected(services.scheduler().nanoTime() - asked);
                            realtimeHealth.connected();
                        } else {
                            realtimeHealth.failed();
                        }
                    }).thenApply(connection -> connection);
        };
        RtpMediaOpener rtp = new RtpMediaOpener(loop, mediaBindAddress, ports, services.wheel(), rtpSettings);
        // Every task, packet and event of the call logs with its ids (log.format's call_id, sip_call_id).
        CallRuntime runtime = new CallRuntime(new CallScopedScheduler(services.scheduler(), ids),
                (spec, listener) -> rtp.open(spec, new CallScopedMediaListener(listener, ids)), connector);
        Call call = new Call(ctx, inbound, runtime, callId, routed.get());
        active.put(call.id(), call);
        ctx.metrics().callOffered();
        call.finished().whenComplete((v, e) -> {
            active.remove(call.id());
            finishedCalls.accept(call.id());
            completeIfDrained();
        });
        loop.execute(() -> CallLogContext.run(ids, call::begin));
    }

    /**
     * Refuses a call its routing does not take, before anything is opened: 404 for a number no route matches under
     * {@code routing.unknown: reject} (RFC 3261 §21.4.5), 403 for a source its profile does not allow (§21.4.4).
     */
    private void refuse(InboundCall inbound, Refusal refusal) {
        ctx.metrics().callRefused(refusal.reason());
        long heldBack = refusalLog.tryReport();
        if (heldBack >= 0) {
            LOG.log(System.Logger.Level.INFO, "INVITE {0} to {1} from {2} refused with {3}: {4}; {5} more refused"
                    + " since the last report", inbound.callId(), inbound.requestUri(), inbound.source(),
                    refusal.status(), refusal.reason(), heldBack);
        }
        inbound.reject(refusal.status(), refusal.phrase());
    }

    /** The call in progress with this id, if any. Any thread. */
    public java.util.Optional<Call> find(String id) {
        return java.util.Optional.ofNullable(active.get(id));
    }

    /** The calls in progress, in no order. Any thread. */
    public List<Call> calls() {
        return List.copyOf(active.values());
    }

    /** Calls in progress (ringing or answered). */
    public int activeCalls() {
        return active.size();
    }

    /** Whether the Realtime service has been failing every connection lately. */
    public RealtimeHealth realtimeHealth() {
        return realtimeHealth;
    }

    /**
     * Stops taking calls (new INVITEs get 503 with Retry-After) and lets the calls in progress run on; completes
     * when the last of them has ended on its own and its recording is written.
     */
    public CompletableFuture<Void> drain() {
        accepting = false;
        completeIfDrained();
        return drained;
    }

    private void completeIfDrained() {
        if (!accepting && active.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Stops taking calls and has the agent of each active one say {@code goodbye} before its BYE ({@link
     * Call#sayGoodbye}), each within {@code maxMs}; completes when their recordings are written.
     */
    public CompletableFuture<Void> sayGoodbye(String goodbye, long maxMs) {
        accepting = false;
        List<Call> calls = List.copyOf(active.values());
        calls.forEach(call -> call.sayGoodbye(goodbye, maxMs));
        return CompletableFuture.allOf(calls.stream().map(Call::finished).toArray(CompletableFuture[]::new));
    }

    /** Stops taking calls and ends the active ones; completes when their recordings are written. */
    public CompletableFuture<Void> shutdown() {
        accepting = false;
        List<Call> calls = List.copyOf(active.values());
        calls.forEach(Call::shutdown);
        return CompletableFuture.allOf(calls.stream().map(Call::finished).toArray(CompletableFuture[]::new));
    }
}
