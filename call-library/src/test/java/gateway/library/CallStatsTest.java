package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link CallIndex#stats} over a synthetic index whose figures are known: calls land in the UTC hour or day they
 * started, the span's empty buckets are there, a profile narrows, and the latency figures are the percentiles of
 * the per-call 95th percentiles.
 */
class CallStatsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final CallIndex index = new CallIndex();
    private int next;

    private void call(Instant start, long durationMs, String endReason, String profile, boolean answered,
                      CallAnalytics analytics) {
        String id = "20261201T000000Z-" + String.format("%08x", next++);
        index.put(new CallDocument(new IndexedCall(id, id + "@sip", "sip:a@x", "sip:b@y", start,
                start.plusMillis(durationMs), durationMs, "PCMU", endReason, 2, 0, 1, true, "", analytics, profile,
                answered), List.of()));
    }

    private static CallAnalytics analytics(int replies, long p95, int talkOver, int deadAir) {
        return new CallAnalytics(replies, p95 / 2, p95, p95, talkOver * 300L, talkOver, deadAir, deadAir * 4000L,
                1000, 1000, 500);
    }

    @Test
    void hourBucketsCountCallsEndReasonsDurationsLatencyAndRates() {
        // 10:00-11:00: four calls; p95s 400, 800, 1200 (and one without replies); one talk-over, two dead air.
        call(T0.plusSeconds(60), 10_000, "caller_bye", "sales", true, analytics(3, 400, 1, 0));
        call(T0.plusSeconds(120), 20_000, "caller_bye", "sales", true, analytics(2, 1200, 0, 1));
        call(T0.plusSeconds(1800), 30_000, "agent_hangup", "support", true, analytics(5, 800, 0, 1));
        call(T0.plusSeconds(3599), 4_000, "cancelled", "sales", false, analytics(0, 0, 0, 0));
        // 12:00-13:00: one call recorded before analytics.
        call(T0.plusSeconds(7200), 60_000, "realtime_lost", null, true, null);
        // Outside the span on both sides.
        call(T0.minusMillis(1), 1_000, "caller_bye", "sales", true, null);
        call(T0.plusSeconds(3 * 3600), 1_000, "caller_bye", "sales", true, null);

        CallStats stats = index.stats(new StatsQuery(T0, T0.plusSeconds(3 * 3600), null, StatsQuery.Bucket.HOUR));

        assertEquals(List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(7200)),
                stats.buckets().stream().map(CallStats.Bucket::start).toList());
        CallStats.Bucket first = stats.buckets().get(0);
        assertEquals(new CallStats.Bucket(T0, 4, 3,
                new TreeMap<>(Map.of("caller_bye", 2, "agent_hangup", 1, "cancelled", 1)), 64_000, 4, 3, 800, 1200,
                1, 2), first);
        assertEquals(16_000, first.durationMeanMs());
        assertEquals(0.25, first.talkOverRate());
        assertEquals(0.5, first.deadAirRate());
        assertEquals(new CallStats.Bucket(T0.plusSeconds(3600), 0, 0, new TreeMap<>(), 0, 0, 0, 0, 0, 0, 0),
                stats.buckets().get(1));
        CallStats.Bucket third = stats.buckets().get(2);
        assertEquals(1, third.calls());
        assertEquals(0, third.analysed(), "a call recorded before analytics counts, but not in the rates");
        assertEquals(0.0, third.talkOverRate());
        assertEquals(60_000, third.durationMeanMs());

        CallStats sales = index.stats(new StatsQuery(T0, T0.plusSeconds(3600), "sales", StatsQuery.Bucket.HOUR));
        assertEquals(3, sales.buckets().get(0).calls());
        assertEquals(2, sales.buckets().get(0).answered());
        assertEquals(400, sales.buckets().get(0).latencyP50Ms());
    }

    @Test
    void dayBucketsStartAtUtcMidnightAndASpanMayStartMidBucket() {
        call(T0, 1_000, "caller_bye", null, true, null);
        call(T0.plusSeconds(14 * 3600), 1_000, "caller_bye", null, true, null);
        call(T0.plusSeconds(20 * 3600), 3_000, "caller_bye", null, true, null);

        CallStats stats = index.stats(new StatsQuery(T0.plusSeconds(60), T0.plusSeconds(48 * 3600), null,
                StatsQuery.Bucket.DAY));

        assertEquals(List.of(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"),
                Instant.parse("2026-12-03T00:00:00Z")), stats.buckets().stream().map(CallStats.Bucket::start)
                .toList());
        assertEquals(List.of(0, 2, 0), stats.buckets().stream().map(CallStats.Bucket::calls).toList(),
                "the call at 10:00 is before since; 00:00 and 06:00 of the next day fall in its bucket");
        assertEquals(2_000, stats.buckets().get(1).durationMeanMs());
    }

    @Test
    void aSpanIsBounded() {
        assertEquals(744, StatsQuery.bucketCount(T0, T0.plusSeconds(744 * 3600), StatsQuery.Bucket.HOUR));
        assertThrows(IllegalArgumentException.class,
                () -> new StatsQuery(T0, T0.plusSeconds(745 * 3600), null, StatsQuery.Bucket.HOUR));
        assertThrows(IllegalArgumentException.class, () -> new StatsQuery(T0, T0, null, StatsQuery.Bucket.DAY));
    }
}
