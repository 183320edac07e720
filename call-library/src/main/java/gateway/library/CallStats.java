package gateway.library;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The answer to a {@link StatsQuery}: one {@link Bucket} per hour or day of the span, empty ones included, oldest
 * first.
 */
public record CallStats(StatsQuery query, List<Bucket> buckets) {

    public CallStats {
        buckets = List.copyOf(buckets);
    }

    /**
     * The calls that started in one bucket.
     *
     * @param start            the bucket's first instant (UTC hour or day)
     * @param calls            recorded calls
     * @param answered         of them, those the gateway answered (not given up during early media)
     * @param endReasons       calls per end reason, by name
     * @param durationSumMs    their recordings' lengths added up
     * @param analysed         calls with conversation analytics (older recordings have none)
     * @param withReplies      of those, calls with at least one measured reply
     * @param latencyP50Ms     median of the per-call 95th-percentile reply times (0 without replies)
     * @param latencyP95Ms     95th percentile (nearest rank) of the per-call 95th-percentile reply times
     * @param talkOverCalls    analysed calls with talk-over
     * @param deadAirCalls     analysed calls with dead air
     */
    public record Bucket(Instant start, int calls, int answered, SortedMap<String, Integer> endReasons,
                         long durationSumMs, int analysed, int withReplies, long latencyP50Ms, long latencyP95Ms,
                         int talkOverCalls, int deadAirCalls) {

        /** Mean recording length; 0 without calls. */
        public long durationMeanMs() {
            return calls == 0 ? 0 : Math.round((double) durationSumMs / calls);
        }

        /** Share of the analysed calls with talk-over, 0 to 1 (0 when none was analysed). */
        public double talkOverRate() {
            return analysed == 0 ? 0 : (double) talkOverCalls / analysed;
        }

        /** Share of the analysed calls with dead air, 0 to 1 (0 when none was analysed). */
        public double deadAirRate() {
            return analysed == 0 ? 0 : (double) deadAirCalls / analysed;
        }
    }
}
