package gateway.bridge.call;

import gateway.recorder.HoldPeriod;
import java.util.ArrayList;
import java.util.List;

/** The stretches of a call the caller held, in recording ms. Call's loop only. */
final class HoldLog {

    private final List<HoldPeriod> closed = new ArrayList<>();
    private long openSinceMs = -1;

    void started(long atMs) {
        if (openSinceMs < 0) {
            openSinceMs = atMs;
        }
    }

    void ended(long atMs) {
        if (openSinceMs >= 0) {
            closed.add(new HoldPeriod(openSinceMs, Math.max(openSinceMs, atMs)));
            openSinceMs = -1;
        }
    }

    /** The holds so far; one still open ends at {@code nowMs}. */
    List<HoldPeriod> periods(long nowMs) {
        List<HoldPeriod> all = new ArrayList<>(closed);
        if (openSinceMs >= 0) {
            all.add(new HoldPeriod(openSinceMs, Math.max(openSinceMs, nowMs)));
        }
        return all;
    }
}
