package gateway.sip;

/**
 * A token bucket kept as one number, the time at which it is full again (the virtual scheduling form of the generic
 * cell rate algorithm, ITU-T I.371): a take succeeds while that time is at most {@code burst - 1} intervals ahead
 * of now. Times are the injected clock's nanoseconds. Not thread-safe: its owner locks.
 */
final class TokenBucket {

    private final long interval;
    private final long tolerance;
    private long fullAt;
    private boolean used;

    TokenBucket(RateLimit limit) {
        this.interval = limit.intervalNanos();
        this.tolerance = (limit.burst() - 1) * interval;
    }

    /** Takes a token at {@code now}; false (and nothing taken) when the bucket is empty. */
    boolean take(long now) {
        long start = !used || fullAt - now < 0 ? now : fullAt;
        if (start - now > tolerance) {
            return false;
        }
        fullAt = start + interval;
        used = true;
        return true;
    }

    /** True when a take at {@code now} would succeed. */
    boolean available(long now) {
        return !used || fullAt - now <= tolerance;
    }
}
