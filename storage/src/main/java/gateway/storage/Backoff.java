package gateway.storage;

import java.util.random.RandomGenerator;

/**
 * Bounded exponential back-off with jitter: the n-th consecutive failure waits a random time between half and all
 * of min(max, min·2^(n-1)). The doubling spares a server that is down; the cap bounds how long a recovered one
 * waits for us; the jitter keeps gateways that failed together from retrying together. Not thread-safe: one
 * uploader (or one call events sender) owns it.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;
    private final RandomGenerator random;
    private int failures;

    public Backoff(long minMs, long maxMs, RandomGenerator random) {
        if (minMs <= 0 || maxMs < minMs) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + minMs + ", " + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** Counts a failure and returns how long to wait before the next attempt (ms). */
    public long failed() {
        failures++;
        long ceiling = ceiling(failures);
        long half = ceiling / 2;
        return half + random.nextLong(ceiling - half + 1);
    }

    /** Starts over after a success. */
    public void succeeded() {
        failures = 0;
    }

    /** Consecutive failures so far. */
    public int failures() {
        return failures;
    }

    /** The upper bound of the wait after {@code n} failures: min·2^(n-1), capped at max. */
    public long ceiling(int n) {
        int doublings = Math.min(n - 1, Long.SIZE - 2);
        long value = minMs << doublings;
        return value <= 0 || value > maxMs || (value >> doublings) != minMs ? maxMs : value;
    }
}
