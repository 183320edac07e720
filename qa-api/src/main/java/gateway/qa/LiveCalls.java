package gateway.qa;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The calls in progress, as far as the QA API acts on them. Implementations are safe from any thread. */
@FunctionalInterface
public interface LiveCalls {

    /**
     * Pauses ({@code paused} true) or resumes the recording of the call in progress with this id. Empty when there
     * is no such call; else a future with whether the state changed, failing when the call is not answered yet.
     */
    Optional<CompletableFuture<Boolean>> pauseRecording(String id, boolean paused);

    /** No call is ever in progress (tests of the stored side only). */
    LiveCalls NONE = (id, paused) -> Optional.empty();
}
