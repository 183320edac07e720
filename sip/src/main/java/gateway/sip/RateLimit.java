package gateway.sip;

/**
 * A rate as a token bucket's parameters: {@code perSecond} tokens come back each second (fractions allowed), up to
 * {@code burst} held at once.
 */
public record RateLimit(double perSecond, int burst) {

    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
    }

    /** Nanoseconds between two tokens. */
    long intervalNanos() {
        return Math.max(1, Math.round(1e9 / perSecond));
    }
}
