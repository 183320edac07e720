package gateway.library;

/** The one nearest-rank percentile of the library (reply times per call, per-call figures per bucket). */
final class Percentiles {

    private Percentiles() {
    }

    /** The nearest-rank {@code percent}th percentile of ascending {@code sorted}; 0 of none. */
    static long nearestRank(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }
}
