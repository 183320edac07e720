package gateway.bridge.call;

import java.util.Arrays;

/**
 * The recording positions (24 kHz samples) where a call's recording is paused, in order and disjoint; the last may
 * still be open (it ends at {@link Long#MAX_VALUE}). Read per packet without allocating; grows only when a pause
 * starts. Call's loop only.
 */
final class PausedStretches {

    private long[] edges = new long[8];
    private int count;

    /** A pause starts at {@code sample}; nothing if one is open. */
    void open(long sample) {
        if (isOpen()) {
            return;
        }
        if (2 * count + 2 > edges.length) {
            edges = Arrays.copyOf(edges, edges.length * 2);
        }
        long from = count == 0 ? sample : Math.max(sample, edges[2 * count - 1]);
        edges[2 * count] = from;
        edges[2 * count + 1] = Long.MAX_VALUE;
        count++;
    }

    /** The open pause ends at {@code sample} (not before it started); nothing if none is open. */
    void close(long sample) {
        if (isOpen()) {
            edges[2 * count - 1] = Math.max(sample, edges[2 * count - 2]);
        }
    }

    boolean isOpen() {
        return count > 0 && edges[2 * count - 1] == Long.MAX_VALUE;
    }

    int count() {
        return count;
    }

    /** First paused sample of stretch {@code i}. */
    long start(int i) {
        return edges[2 * i];
    }

    /** First sample after stretch {@code i}; {@link Long#MAX_VALUE} while it is open. */
    long end(int i) {
        return edges[2 * i + 1];
    }
}
