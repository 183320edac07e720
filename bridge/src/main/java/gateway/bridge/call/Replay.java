package gateway.bridge.call;

import gateway.bridge.logging.CallScopedScheduler;
import gateway.library.ReplayOrigin;
import gateway.realtime.RealtimeConnector;
import gateway.time.Scheduler;
import gateway.transport.CallLogContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Replays a recorded call against an agent through the same call core as a phone call: a {@link Call} whose media leg
 * is the recording's caller channel ({@link ReplayMediaLeg}) and whose dialog leg is in process
 * ({@link ReplayDialog}), so nothing opens a SIP or RTP socket. The agent's audio is recorded as it would have been
 * played; the result is a new call in the recordings directory with {@code replay_of}, ending {@code replay_end}
 * where the recording's caller channel ends.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * Starts a replay of {@code source} against {@code profile} on {@code scheduler}'s loop, its Realtime sessions
     * opened by {@code realtime} on that loop; {@code agentLabel} says in call.json what settings were used. Completes
     * with the new call's id once its recording is written, or exceptionally with an {@link IllegalStateException}
     * saying why when the call was refused before its answer (no Realtime session, no recording).
     */
    public static CompletableFuture<String> start(CallContext ctx, Scheduler scheduler, RealtimeConnector realtime,
                                                  AgentProfile profile, ReplaySource source, String agentLabel) {
        String id = CallIds.next(ctx.wallClock().instant());
        ReplayDialog dialog = new ReplayDialog("replay-" + id, source.meta().from(), source.meta().to(),
                source.original().codec(), source.meta().sipHeaders());
        CallLogContext.Ids ids = new CallLogContext.Ids(id, dialog.callId());
        Scheduler loop = new CallScopedScheduler(scheduler, ids);
        CompletableFuture<Void> callerEnded = new CompletableFuture<>();
        MediaOpener media = (spec, listener) -> CompletableFuture.completedFuture(
                new ReplayMediaLeg(loop, source.caller(), listener, () -> callerEnded.complete(null)));
        Call call = new Call(ctx, dialog, new CallRuntime(loop, media, realtime), id, profile,
                new ReplayOrigin(source.meta().id(), agentLabel));
        callerEnded.thenRun(() -> call.end(EndReason.REPLAY_END));
        loop.execute(call::begin);
        return call.finished().thenApply(done -> {
            String refusal = dialog.refusal();
            if (refusal != null) {
                throw new CompletionException(new IllegalStateException("replay of " + source.meta().id()
                        + " refused before its answer: " + refusal));
            }
            return id;
        });
    }
}
