package gateway.realtime;

import java.util.concurrent.CompletableFuture;

/** Opens Realtime sessions for one call, on that call's event loop. */
@FunctionalInterface
public interface RealtimeConnector {

    /**
     * Opens a session. The future completes on the call's loop with an open link, or exceptionally; once it
     * opened, {@code listener} receives every server event and exactly one {@code onClosed}, on the same loop.
     */
    CompletableFuture<RealtimeLink> connect(RealtimeListener listener);
}
