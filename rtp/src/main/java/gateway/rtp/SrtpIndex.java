package gateway.rtp;

/**
 * The packet index of one SRTP stream (RFC 3711 §3.3.1): the rollover counter and the highest sequence number seen,
 * and the replay list (§3.3.2) as a 64-packet sliding window below the highest index. {@link #estimate} guesses the
 * 48-bit index of a packet from its 16-bit sequence number; {@link #accept} takes it into the state once the packet
 * is authentic. Event loop only; allocates nothing.
 */
final class SrtpIndex {

    /** Packets below the highest index the replay list remembers (RFC 3711 §3.3.2: at least 64). */
    static final int REPLAY_WINDOW = 64;
    private static final int HALF = 1 << 15;
    private static final int SEQUENCE_SPAN = 1 << 16;

    private boolean started;
    /** The highest index accepted: ROC * 2^16 + s_l. */
    private long highest;
    /** Bit k set: index {@code highest - k} was accepted. */
    private long window;

    /**
     * The index of a packet with {@code sequence} (RFC 3711 Appendix A); the first packet sets ROC 0. Negative for a
     * packet from before the stream's first rollover counter, which {@link #replayed} refuses.
     */
    long estimate(int sequence) {
        if (!started) {
            return sequence;
        }
        long roc = highest >>> 16;
        int last = (int) (highest & 0xFFFF);
        long v;
        if (last < HALF) {
            v = sequence - last > HALF ? roc - 1 : roc;
        } else {
            v = last - HALF > sequence ? roc + 1 : roc;
        }
        return v * SEQUENCE_SPAN + sequence;
    }

    /** True when {@code index} was accepted already or is too old to tell (RFC 3711 §3.3.2): drop the packet. */
    boolean replayed(long index) {
        if (index < 0) {
            return true;
        }
        if (!started || index > highest) {
            return false;
        }
        long behind = highest - index;
        return behind >= REPLAY_WINDOW || (window >>> behind & 1) != 0;
    }

    /** Takes an authentic packet's index: the ROC and s_l move forward, the replay window records it. */
    void accept(long index) {
        if (!started) {
            started = true;
            highest = index;
            window = 1;
        } else if (index > highest) {
            long ahead = index - highest;
            window = ahead >= REPLAY_WINDOW ? 1 : window << ahead | 1;
            highest = index;
        } else {
            window |= 1L << (highest - index);
        }
    }

    /** Back to no packet seen, for a new stream. */
    void reset() {
        started = false;
        highest = 0;
        window = 0;
    }

    /** The rollover counter of {@code index} (RFC 3711 §3.3.1), which the tag covers. */
    static int rolloverCounter(long index) {
        return (int) (index >>> 16);
    }
}
