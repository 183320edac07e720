package gateway.qa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The calls in progress, as the active calls API sees and steers them. The call core implements it; each call answers
 * on its own event loop, so every method returns at once and is safe from any thread.
 */
public interface ActiveCalls {

    /** Every call in progress, each described on its own loop. */
    CompletableFuture<List<ActiveCall>> list();

    /**
     * Carries out {@code action} on the call with this id, asked by {@code by} ({@code token} or {@code loopback}).
     * Empty when there is no such call; else a future that completes once the call's loop has taken the action, or
     * fails with {@link CallNotActive} when the call is not answered yet or already over.
     */
    Optional<CompletableFuture<Void>> act(String id, LiveAction action, String by);

    /**
     * Starts a live feed of the call with this id for a supervisor. Empty when there is no such call; else a future
     * with the feed, failing with {@link CallNotActive} when the call is over or already has its most listeners.
     */
    Optional<CompletableFuture<ListenFeed>> listen(String id);

    /** No call is ever in progress (tests of the stored side only). */
    ActiveCalls NONE = new ActiveCalls() {
        @Override
        public CompletableFuture<List<ActiveCall>> list() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public Optional<CompletableFuture<Void>> act(String id, LiveAction action, String by) {
            return Optional.empty();
        }

        @Override
        public Optional<CompletableFuture<ListenFeed>> listen(String id) {
            return Optional.empty();
        }
    };

    /**
     * One call in progress.
     *
     * @param id         the gateway's call id
     * @param sipCallId  the SIP Call-ID
     * @param startedAt  when the INVITE came
     * @param answeredAt when the call was answered; null while it rings
     * @param state      the call's state ({@code connecting}, {@code talking}, {@code held}, …)
     * @param durationMs the recording's length so far: 0 before the answer
     */
    record ActiveCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant answeredAt,
                      String state, long durationMs) {
    }

    /** The call cannot take the action now: not answered yet, or over. */
    final class CallNotActive extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public CallNotActive(String message) {
            super(message, null, false, false);
        }
    }
}
