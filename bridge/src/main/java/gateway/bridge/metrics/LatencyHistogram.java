package gateway.bridge.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size histogram of durations in microseconds with about 6 % resolution (16 sub-buckets per power of two),
 * in the manner of HdrHistogram. Recording is allocation-free and safe from any thread; quantiles are read at scrape
 * time and are cumulative since start.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Largest recordable value: 2^36 µs (about 19 hours); longer values land in the last bucket. */
    private static final int MAX_EXPONENT = 36;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 1) * SUB_COUNT + SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one duration given in nanoseconds (negative values count as 0). */
    public void recordNanos(long nanos) {
        counts.getAndIncrement(index(Math.max(0, nanos) / 1000));
    }

    /** Number of values recorded. */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * The value (µs, upper edge of its bucket) below which a fraction {@code q} of the recorded values lie; 0 if empty.
     */
    public long quantileMicros(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    static int index(long micros) {
        if (micros < 2 * SUB_COUNT) {
            return (int) micros;
        }
        int msb = 63 - Long.numberOfLeadingZeros(micros);
        if (msb > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int shift = msb - SUB_BITS;
        return (shift + 1) * SUB_COUNT + (int) ((micros >> shift) - SUB_COUNT);
    }

    static long upperEdge(int index) {
        if (index < 2 * SUB_COUNT) {
            return index;
        }
        int shift = index / SUB_COUNT - 1;
        long sub = index % SUB_COUNT + SUB_COUNT;
        return ((sub + 1) << shift) - 1;
    }
}
