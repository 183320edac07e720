package gateway.sip.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nonce counts already used (RFC 7616 §3.4, §5.12), so a replayed request is refused: per nonce in use, the
 * highest count and which of the {@value #WINDOW} counts below it came, as the anti-replay window of RFC 4303 §3.4.3
 * (requests over UDP may arrive out of order). At most {@code capacity} nonces are kept; when one must go, the
 * issue time of every nonce that went is remembered as a watermark, and any nonce issued before it that is not
 * kept counts as used: a forgotten nonce can never be replayed, its client just gets a new one. Not thread-safe.
 */
final class NonceCounts {

    /** Counts below the highest that may still arrive late. */
    static final int WINDOW = 64;

    private static final class Window {
        final long issuedNanos;
        long highest;
        long seen;

        Window(long issuedNanos, long count) {
            this.issuedNanos = issuedNanos;
            this.highest = count;
            this.seen = 1;
        }
    }

    private final int capacity;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private boolean forgotAny;
    private long watermark;

    NonceCounts(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    int size() {
        return windows.size();
    }

    /**
     * True, and remembered, when {@code count} (1 or more) was not used before with {@code nonce}, issued at
     * {@code issuedNanos}; false for a replay, a count too far below the highest, or a nonce that may have been
     * forgotten. Nonces issued before {@code oldestFresh} are stale (refused before their counts matter): they
     * make room first when the table is full.
     */
    boolean accept(String nonce, long issuedNanos, long count, long oldestFresh) {
        if (count < 1) {
            return false;
        }
        Window window = windows.get(nonce);
        if (window == null) {
            if (forgotAny && issuedNanos - watermark <= 0) {
                return false;
            }
            if (windows.size() >= capacity) {
                windows.values().removeIf(w -> w.issuedNanos - oldestFresh < 0);
            }
            if (windows.size() >= capacity) {
                Iterator<Window> eldest = windows.values().iterator();
                forget(eldest.next().issuedNanos);
                eldest.remove();
            }
            windows.put(nonce, new Window(issuedNanos, count));
            return true;
        }
        if (count > window.highest) {
            long shift = count - window.highest;
            window.seen = shift >= WINDOW ? 1 : window.seen << shift | 1;
            window.highest = count;
            return true;
        }
        long below = window.highest - count;
        if (below >= WINDOW) {
            return false;
        }
        long bit = 1L << below;
        if ((window.seen & bit) != 0) {
            return false;
        }
        window.seen |= bit;
        return true;
    }

    private void forget(long issuedNanos) {
        if (!forgotAny || issuedNanos - watermark > 0) {
            watermark = issuedNanos;
        }
        forgotAny = true;
    }
}
