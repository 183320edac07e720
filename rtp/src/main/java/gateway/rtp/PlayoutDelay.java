package gateway.rtp;

import gateway.time.CallTimeline;
import java.util.Arrays;

/**
 * How long the caller's stream waits for a missing packet: the adaptive depth of the jitter buffer. Each media
 * packet's transit (arrival minus its RTP timestamp, in ns) is compared with the smallest transit of the last
 * 2 to 4 s (the fastest packets, so the estimate follows slow clock drift); the excess is how late the packet was.
 * The depth is the excess that at most 1 in 32 of the last {@value #WINDOW} packets exceeded (none while fewer than
 * 32 have come, so it grows at once at the start of a bad stream), rounded up to the millisecond and capped at
 * {@link #MAX_DEPTH_NANOS}: a missing packet is waited for that long after the time it
 * would have arrived on the fastest path, then concealed. On a clean network that is a millisecond or two, and
 * packets in order never wait at all.
 *
 * <p>Call's loop only; allocation-free.
 */
final class PlayoutDelay {

    /** The deepest the buffer goes: 200 ms, beyond which waiting costs more conversation than concealing. */
    static final long MAX_DEPTH_NANOS = 200_000_000L;
    /** Packets whose lateness is remembered: about 2.5 s of 20 ms packets. */
    static final int WINDOW = 128;
    /** Of the packets remembered, 1 in this many may come later than the depth. */
    static final int ALLOWED_LATER_ONE_IN = 32;
    /** The fastest transit is the smaller of this window's and the previous one's. */
    static final long MIN_TRANSIT_WINDOW_NANOS = 2_000_000_000L;
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final int MAX_EXCESS_MS = (int) (MAX_DEPTH_NANOS / NANOS_PER_MS);
    /** The depth is recomputed at least this often (every eighth packet) and whenever a packet exceeds it. */
    private static final int RECOMPUTE_EVERY = 8;

    private final byte[] excessRing = new byte[WINDOW];
    private final int[] histogram = new int[MAX_EXCESS_MS + 1];
    private int filled;
    private int head;
    private int sinceRecompute;
    private long minCurrent;
    private long minPrevious;
    private long windowStart;
    private boolean started;
    private long depthNanos;

    /** Forgets everything: a new stream. */
    void reset() {
        Arrays.fill(histogram, 0);
        filled = 0;
        head = 0;
        sinceRecompute = 0;
        started = false;
        depthNanos = 0;
    }

    /** A media packet with extended timestamp {@code extendedTimestamp} arrived at {@code arrivalNanos}. */
    void arrival(long arrivalNanos, long extendedTimestamp) {
        long transit = arrivalNanos - extendedTimestamp * CallTimeline.NANOS_PER_RTP_UNIT;
        if (!started) {
            started = true;
            minCurrent = transit;
            minPrevious = transit;
            windowStart = arrivalNanos;
        } else if (arrivalNanos - windowStart >= MIN_TRANSIT_WINDOW_NANOS) {
            minPrevious = minCurrent;
            minCurrent = transit;
            windowStart = arrivalNanos;
        }
        minCurrent = Math.min(minCurrent, transit);
        long excess = transit - minTransit();
        int excessMs = (int) Math.min(MAX_EXCESS_MS, excess / NANOS_PER_MS);
        if (filled == WINDOW) {
            histogram[excessRing[head] & 0xFF]--;
        } else {
            filled++;
        }
        excessRing[head] = (byte) excessMs;
        histogram[excessMs]++;
        head = head + 1 == WINDOW ? 0 : head + 1;
        if (++sinceRecompute >= RECOMPUTE_EVERY || excess > depthNanos) {
            recompute();
        }
    }

    private void recompute() {
        sinceRecompute = 0;
        int allowed = filled / ALLOWED_LATER_ONE_IN;
        int later = 0;
        int depthMs = 0;
        for (int ms = MAX_EXCESS_MS; ms >= 0; ms--) {
            if (later + histogram[ms] > allowed) {
                depthMs = ms + 1;
                break;
            }
            later += histogram[ms];
        }
        depthNanos = Math.min(MAX_DEPTH_NANOS, depthMs * NANOS_PER_MS);
    }

    private long minTransit() {
        return Math.min(minCurrent, minPrevious);
    }

    /** The current depth: how long after its fastest arrival time a missing packet is waited for. */
    long depthNanos() {
        return depthNanos;
    }

    /** When the audio at {@code extendedTimestamp} must be played (or, if missing, concealed). */
    long deadline(long extendedTimestamp) {
        return extendedTimestamp * CallTimeline.NANOS_PER_RTP_UNIT + minTransit() + depthNanos;
    }

    /** The timestamp whose deadline is {@code nowNanos}: audio before it is due now. */
    long dueTimestamp(long nowNanos) {
        return Math.floorDiv(nowNanos - minTransit() - depthNanos, CallTimeline.NANOS_PER_RTP_UNIT);
    }
}
