package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExactAndLargeOnesWithinSixPercent() {
        for (long v = 0; v < 32; v++) {
            assertEquals(v, LatencyHistogram.upperEdge(LatencyHistogram.index(v)));
        }
        for (long v = 32; v < 50_000_000L; v = v * 5 / 4 + 1) {
            long edge = LatencyHistogram.upperEdge(LatencyHistogram.index(v));
            assertTrue(edge >= v && edge <= v * 1.07, v + " -> " + edge);
        }
        assertEquals(LatencyHistogram.index(47) + 1, LatencyHistogram.index(48));
    }

    @Test
    void quantilesFollowTheRecordedDistribution() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.quantileMicros(0.99));
        for (int i = 1; i <= 1000; i++) {
            h.recordNanos(i * 1000L);            // 1..1000 µs
        }
        h.recordNanos(-5);
        assertEquals(1001, h.count());
        long p50 = h.quantileMicros(0.5);
        long p99 = h.quantileMicros(0.99);
        assertTrue(p50 >= 500 && p50 <= 530, "p50 " + p50);
        assertTrue(p99 >= 990 && p99 <= 1055, "p99 " + p99);
        assertEquals(0, h.quantileMicros(0.0001), "the single 0 is the minimum");
    }

    @Test
    void theFixedBoundsCountExactlyWithEachValueAtOrBelowItsBound() {
        assertEquals(0, LatencyHistogram.boundIndex(0));
        assertEquals(0, LatencyHistogram.boundIndex(100_000));
        assertEquals(1, LatencyHistogram.boundIndex(100_001));
        assertEquals(4, LatencyHistogram.boundIndex(2_000_000), "2 ms is in le=0.002");
        assertEquals(5, LatencyHistogram.boundIndex(2_000_001));
        assertEquals(LatencyHistogram.BOUNDS_NANOS.length, LatencyHistogram.boundIndex(5_000_000_000L), "+Inf");
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(-5);
        h.recordNanos(1_999_999);
        h.recordNanos(2_000_000);
        h.recordNanos(2_000_001);
        h.recordNanos(7_000_000_000L);
        long[] counts = h.boundedCounts();
        assertEquals(1, counts[0]);
        assertEquals(2, counts[4]);
        assertEquals(1, counts[5]);
        assertEquals(1, counts[counts.length - 1]);
        assertEquals(5, java.util.Arrays.stream(counts).sum());
        assertEquals(7_006_000_000L, h.sumNanos(), "negatives count as 0");
    }
}
