package gateway.bridge.metrics;

import java.util.Arrays;

/**
 * A fixed-size histogram of durations in microseconds with about 6 % resolution (16 sub-buckets per power of two),
 * in the manner of HdrHistogram. Recording is allocation-free and safe from any thread, each thread counting in its
 * own row ({@link ThreadCounts}); quantiles are read at scrape time and are cumulative since start. The same values
 * are also counted exactly against a few fixed bounds ({@link #BOUNDS_NANOS}), the buckets of a Prometheus
 * histogram: the difference of two scrapes gives the share of a window's values at or below a bound, which
 * cumulative quantiles cannot.
 */
public final class LatencyHistogram {

    /** The Prometheus histogram's bucket bounds ({@code le}), 100 µs to 1 s, in ns; the last bucket is +Inf. */
    static final long[] BOUNDS_NANOS = {100_000L, 250_000L, 500_000L, 1_000_000L, 2_000_000L, 5_000_000L,
        10_000_000L, 20_000_000L, 50_000_000L, 100_000_000L, 250_000_000L, 1_000_000_000L};

    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Largest recordable value: 2^36 µs (about 19 hours); longer values land in the last bucket. */
    private static final int MAX_EXPONENT = 36;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 1) * SUB_COUNT + SUB_COUNT;

    /** The first of the Prometheus histogram's counts in {@link #counts}, after the fine buckets. */
    private static final int BOUNDED = BUCKETS;
    /** The Prometheus histogram's buckets, each counted alone (not cumulative); the last is above every bound. */
    private static final int BOUNDED_COUNT = BOUNDS_NANOS.length + 1;
    /** The sum of the values in ns, in {@link #counts} after the Prometheus histogram's counts. */
    private static final int SUM = BOUNDED + BOUNDED_COUNT;

    /** The fine buckets, then the Prometheus histogram's, then the sum: one row for each recording thread. */
    private final ThreadCounts counts = new ThreadCounts(SUM + 1);

    /** Records one duration given in nanoseconds (negative values count as 0). */
    public void recordNanos(long nanos) {
        long value = Math.max(0, nanos);
        counts.add(index(value / 1000), 1);
        counts.add(BOUNDED + boundIndex(value), 1);
        counts.add(SUM, value);
    }

    /** The first bound at or above {@code nanos}; {@code BOUNDS_NANOS.length} when above all of them. */
    static int boundIndex(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        return i;
    }

    /** The values in each bucket of the Prometheus histogram: {@link #BOUNDS_NANOS}, then +Inf (not cumulative). */
    long[] boundedCounts() {
        return counts.sums(BOUNDED, BOUNDED_COUNT);
    }

    /** The sum of the recorded values, in ns. */
    long sumNanos() {
        return counts.sum(SUM);
    }

    /** Number of values recorded. */
    public long count() {
        return Arrays.stream(boundedCounts()).sum();
    }

    /**
     * The value (µs, upper edge of its bucket) below which a fraction {@code q} of the recorded values lie; 0 if empty.
     */
    public long quantileMicros(double q) {
        long[] buckets = counts.sums(0, BUCKETS);
        long total = Arrays.stream(buckets).sum();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
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
