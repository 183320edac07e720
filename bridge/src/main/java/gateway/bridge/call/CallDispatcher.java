package gateway.bridge.call;

import gateway.sip.CallHandler;
import gateway.sip.InboundCall;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes each new INVITE from the SIP loop and gives the call its own media event loop (round robin over the group),
 * where the call's RTP channel, Realtime socket and state all live.
 */
public final class CallDispatcher implements CallHandler {

    private final CallContext ctx;
    private final EventLoopGroup mediaLoops;
    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    public CallDispatcher(CallContext ctx, EventLoopGroup mediaLoops) {
        this.ctx = ctx;
        this.mediaLoops = mediaLoops;
    }

    @Override
    public void onInvite(InboundCall inbound) {
        if (!accepting) {
            inbound.reject(503, "Service Unavailable");
            return;
        }
        EventLoop loop = mediaLoops.next();
        Call call = new Call(ctx, inbound, loop, Instant.now());
        active.put(call.id(), call);
        ctx.metrics().callOffered();
        call.finished().whenComplete((v, e) -> active.remove(call.id()));
        loop.execute(() -> {
            try {
                call.begin();
            } catch (RuntimeException e) {
                System.getLogger(CallDispatcher.class.getName())
                        .log(System.Logger.Level.ERROR, "call " + call.id() + " failed to start", e);
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
