package gateway.library;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Adds up the calls of one {@link CallStats.Bucket}; one thread. */
final class StatsAccumulator {

    private final Instant start;
    private int calls;
    private int answered;
    private final TreeMap<String, Integer> endReasons = new TreeMap<>();
    private long durationSumMs;
    private int analysed;
    private long[] p95s = new long[8];
    private int withReplies;
    private int talkOver;
    private int deadAir;

    StatsAccumulator(Instant start) {
        this.start = start;
    }

    Instant start() {
        return start;
    }

    void add(IndexedCall call) {
        calls++;
        if (call.answered()) {
            answered++;
        }
        endReasons.merge(call.endReason() == null ? "unknown" : call.endReason(), 1, Integer::sum);
        durationSumMs += call.durationMs();
        CallAnalytics a = call.analytics();
        if (a == null) {
            return;
        }
        analysed++;
        if (a.responses() > 0) {
            if (withReplies == p95s.length) {
                p95s = Arrays.copyOf(p95s, withReplies * 2);
            }
            p95s[withReplies++] = a.latencyP95Ms();
        }
        if (a.talkOverCount() > 0) {
            talkOver++;
        }
        if (a.deadAirCount() > 0) {
            deadAir++;
        }
    }

    CallStats.Bucket result() {
        long[] sorted = Arrays.copyOf(p95s, withReplies);
        Arrays.sort(sorted);
        return new CallStats.Bucket(start, calls, answered, new TreeMap<>(endReasons), durationSumMs, analysed,
                withReplies, Percentiles.nearestRank(sorted, 50), Percentiles.nearestRank(sorted, 95), talkOver,
                deadAir);
    }

    /** One accumulator per bucket of {@code query}'s span, oldest first. */
    static List<StatsAccumulator> span(StatsQuery query) {
        long count = StatsQuery.bucketCount(query.since(), query.until(), query.bucket());
        List<StatsAccumulator> buckets = new ArrayList<>((int) count);
        Instant at = query.bucket().floor(query.since());
        for (int i = 0; i < count; i++) {
            buckets.add(new StatsAccumulator(at));
            at = at.plus(query.bucket().width());
        }
        return buckets;
    }
}
