package gateway.rtp;

/**
 * Wrap-around arithmetic on 32-bit RTP timestamps (RFC 3550 §5.1): the clock starts at a random value and wraps
 * after 2^32 units (about 6.2 days at 8 kHz), so two timestamps are compared by the shortest signed distance between
 * them, and a stream's timestamps are extended to 64 bits against one already seen. Stateless.
 */
public final class RtpTimestamps {

    private static final long MASK = 0xFFFF_FFFFL;

    private RtpTimestamps() {
    }

    /** Signed distance from {@code older} to {@code newer}, both unsigned 32-bit values, in [−2^31, 2^31). */
    public static int difference(long newer, long older) {
        return (int) (newer - older);
    }

    /**
     * The extended (64-bit) timestamp whose low 32 bits are {@code timestamp} and which lies nearest to
     * {@code reference}, an extended timestamp already seen.
     */
    public static long extend(long timestamp, long reference) {
        return reference + difference(timestamp & MASK, reference & MASK);
    }
}
