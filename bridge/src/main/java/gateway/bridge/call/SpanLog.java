package gateway.bridge.call;

import java.util.ArrayList;
import java.util.List;

/**
 * Stretches of a call's recording time, each with a label, at most one open at a time: the caller's holds, the
 * recording pauses. Call's loop only.
 */
final class SpanLog {

    /** One stretch, in recording ms. */
    record Span(long startMs, long endMs, String label) {
    }

    private final List<Span> closed = new ArrayList<>();
    private long openSinceMs = -1;
    private String openLabel;

    /** Opens a stretch at {@code atMs}; nothing if one is open. */
    void start(long atMs, String label) {
        if (openSinceMs < 0) {
            openSinceMs = atMs;
            openLabel = label;
        }
    }

    /** Closes the open stretch at {@code atMs}; nothing if none is open. */
    void end(long atMs) {
        if (openSinceMs >= 0) {
            closed.add(new Span(openSinceMs, Math.max(openSinceMs, atMs), openLabel));
            openSinceMs = -1;
            openLabel = null;
        }
    }

    boolean open() {
        return openSinceMs >= 0;
    }

    /** The stretches so far; one still open ends at {@code nowMs}. */
    List<Span> spans(long nowMs) {
        List<Span> all = new ArrayList<>(closed);
        if (openSinceMs >= 0) {
            all.add(new Span(openSinceMs, Math.max(openSinceMs, nowMs), openLabel));
        }
        return all;
    }
}
