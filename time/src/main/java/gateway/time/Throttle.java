package gateway.time;

/**
 * Lets one report through per interval and counts the ones held back, so a fault that repeats per packet or per
 * tick logs one line per interval instead of fifty a second. Single-threaded: the owner's thread only.
 */
public final class Throttle {

    private final Clock clock;
    private final long intervalNanos;
    private long nextAllowedNanos;
    private boolean reported;
    private long suppressed;

    /** A throttle that allows the first report at once, then one per {@code intervalNanos}. */
    public Throttle(Clock clock, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        this.clock = clock;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Returns -1 when this report must be held back (and counts it); otherwise how many were held back since the
     * last report went through (0 the first time), and starts a new interval.
     */
    public long tryReport() {
        long now = clock.nanoTime();
        if (reported && now - nextAllowedNanos < 0) {
            suppressed++;
            return -1;
        }
        reported = true;
        nextAllowedNanos = now + intervalNanos;
        long held = suppressed;
        suppressed = 0;
        return held;
    }
}
