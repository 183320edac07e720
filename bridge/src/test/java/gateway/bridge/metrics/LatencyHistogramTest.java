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
}
