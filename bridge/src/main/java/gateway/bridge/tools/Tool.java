package gateway.bridge.tools;

import gateway.realtime.SessionSettings;
import java.util.concurrent.CompletableFuture;

/**
 * A function the model may call on a call (docs/realtime-protocol.md §5.4): how it is offered in session.update,
 * and what running it gives. The gateway's own tools (pausing the recording, ending the call) answer at once on the
 * call's loop; a webhook tool answers later from another thread. Either way the call hops the answer back to its
 * loop, waits at most {@link #timeoutMs()} for it, and cancels the future when it gives up or the call ends.
 */
public interface Tool {

    /** How the model sees the tool: name, description and the JSON Schema of its arguments. */
    SessionSettings.Tool definition();

    /** The tool's name, as the model calls it. */
    default String name() {
        return definition().name();
    }

    /** The longest the call waits for the answer, in ms; 0 for a tool that answers at once. */
    default long timeoutMs() {
        return 0;
    }

    /**
     * Runs the tool. Called on the call's loop; must not block it. The future completes with the answer (on any
     * thread); if it completes exceptionally the model gets an error object.
     */
    CompletableFuture<ToolResult> call(ToolInvocation invocation);
}
