package gateway.bridge;

import gateway.bridge.call.Call;
import gateway.bridge.call.CallDispatcher;
import gateway.bridge.call.ListenQueue;
import gateway.qa.ActiveCalls;
import gateway.qa.ListenFeed;
import gateway.qa.LiveAction;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The active calls API's view of the dispatcher's calls: each call is read and steered on its own loop ({@link Call}),
 * and a call that cannot take an action (not answered yet, or over) fails it with {@link ActiveCalls.CallNotActive}.
 * Safe from any thread.
 */
final class LiveControl implements ActiveCalls {

    /** The states of a call that is over but whose recording is still being written: not listed. */
    private static final Set<String> OVER = Set.of("ending", "ended");

    private final CallDispatcher dispatcher;

    LiveControl(CallDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<List<ActiveCall>> list() {
        List<CompletableFuture<ActiveCall>> views = dispatcher.calls().stream()
                .map(call -> call.view().thenApply(LiveControl::activeCall).exceptionally(error -> null))
                .toList();
        return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(done -> views.stream()
                .map(CompletableFuture::join).filter(view -> view != null && !OVER.contains(view.state())).toList());
    }

    @Override
    public Optional<CompletableFuture<Void>> act(String id, LiveAction action, String by) {
        return dispatcher.find(id).map(call -> notActiveWhenRefused(switch (action) {
            case LiveAction.Say say -> call.say(say.text(), by);
            case LiveAction.Instructions set -> call.instruct(set.instructions(), by);
            case LiveAction.HangUp hangUp -> call.hangUp(by);
        }));
    }

    @Override
    public Optional<CompletableFuture<ListenFeed>> listen(String id) {
        return dispatcher.find(id).map(call -> notActiveWhenRefused(call.listen())
                .thenApply(queue -> feed(call, queue)));
    }

    /** The listen socket's view of a call's queue. */
    private static ListenFeed feed(Call call, ListenQueue queue) {
        return new ListenFeed() {
            @Override
            public void drain(Frames frames, Consumer<String> events) {
                queue.drain(frames::frame, events);
            }

            @Override
            public long dropped() {
                return queue.dropped();
            }

            @Override
            public CompletableFuture<Void> ended() {
                return queue.ended();
            }

            @Override
            public void close() {
                call.stopListening(queue);
            }
        };
    }

    private static ActiveCall activeCall(Call.View view) {
        return new ActiveCall(view.id(), view.sipCallId(), view.from(), view.to(), view.startedAt(),
                view.answeredAt(), view.state(), view.durationMs());
    }

    /** A call's refusal (an {@link IllegalStateException}) becomes {@link ActiveCalls.CallNotActive}. */
    private static <T> CompletableFuture<T> notActiveWhenRefused(CompletableFuture<T> outcome) {
        return outcome.handle((done, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof IllegalStateException refused) {
                throw new CallNotActive(refused.getMessage());
            }
            if (cause != null) {
                throw new CompletionException(cause);
            }
            return done;
        });
    }
}
