package gateway.bridge.call;

import gateway.config.SourceFilter;
import gateway.rtp.PacingWheel;
import gateway.sip.CallHandler;
import gateway.sip.InboundCall;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes each new INVITE from the SIP loop and gives the call its own media event loop (round robin over the group),
 * where the call's RTP channel, Realtime socket and state all live. The calls of a loop share its
 * {@link PacingWheel}, created with the loop's first call.
 */
public final class CallDispatcher implements CallHandler {

    private static final System.Logger LOG = System.getLogger(CallDispatcher.class.getName());

    private final CallContext ctx;
    private final EventLoopGroup mediaLoops;
    private final SourceFilter allowedSources;
    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private final Map<EventLoop, PacingWheel> wheels = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    public CallDispatcher(CallContext ctx, EventLoopGroup mediaLoops, SourceFilter allowedSources) {
        this.ctx = ctx;
        this.mediaLoops = mediaLoops;
        this.allowedSources = allowedSources;
    }

    @Override
    public void onInvite(InboundCall inbound) {
        if (!accepting) {
            inbound.reject(503, "Service Unavailable");
            return;
        }
        if (!allowedSources.allows(inbound.source().getAddress())) {
            // Refused before anything is opened: no RTP port, no Realtime session (RFC 3261 §21.4.4).
            LOG.log(System.Logger.Level.WARNING, "INVITE {0} from {1} refused: source not in sip.allowed-sources",
                    inbound.callId(), inbound.source());
            ctx.metrics().callRefused();
            inbound.reject(403, "Forbidden");
            return;
        }
        EventLoop loop = mediaLoops.next();
        PacingWheel wheel = wheels.computeIfAbsent(loop, l -> new PacingWheel(Scheduler.on(l)));
        Call call = new Call(ctx, inbound, loop, wheel, Instant.now());
        active.put(call.id(), call);
        ctx.metrics().callOffered();
        call.finished().whenComplete((v, e) -> active.remove(call.id()));
        loop.execute(() -> {
            try {
                call.begin();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "call " + call.id() + " failed to start", e);
                call.end(EndReason.INTERNAL_ERROR);
            }
        });
    }

    /** Calls in progress (ringing or answered). */
    public int activeCalls() {
        return active.size();
    }

    /** Stops taking calls and ends the active ones; completes when their recordings are written. */
    public CompletableFuture<Void> shutdown() {
        accepting = false;
        List<Call> calls = List.copyOf(active.values());
        calls.forEach(Call::shutdown);
        return CompletableFuture.allOf(calls.stream().map(Call::finished).toArray(CompletableFuture[]::new));
    }
}
