package gateway.bridge.call;

import gateway.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Realtime service is failing every connection, for the readiness probe: after
 * {@link #FAILURES_TO_TRIP} failed connections in a row the gateway reports not ready, so a proxy sends calls to
 * another instance instead of this one refusing them, and it reports ready again {@link #RETRY_AFTER_NANOS} after the
 * last failure, so calls come back to try (a probe connection would cost the customer; a call that tries is no
 * worse off than one refused). Any thread: the connections' outcomes come from the media loops, the probe from the
 * HTTP loop.
 */
public final class RealtimeHealth {

    /** Failed connections in a row that make the service count as down. */
    static final int FAILURES_TO_TRIP = 3;
    /** How long after the last failure the service counts as down. */
    static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Clock clock;
    private int failuresInARow;
    private long lastFailureNanos;

    public RealtimeHealth(Clock clock) {
        this.clock = clock;
    }

    /** A Realtime session opened. */
    public synchronized void connected() {
        failuresInARow = 0;
    }

    /** A Realtime session could not be opened. */
    public synchronized void failed() {
        failuresInARow++;
        lastFailureNanos = clock.nanoTime();
    }

    /** True while the last {@link #FAILURES_TO_TRIP} or more connections failed, the last of them recently. */
    public synchronized boolean failing() {
        return failuresInARow >= FAILURES_TO_TRIP && clock.nanoTime() - lastFailureNanos < RETRY_AFTER_NANOS;
    }
}
