package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Prometheus text the gateway serves on /metrics. */
class GatewayMetricsTest {

    @Test
    void playoutOverflowAddsUpAcrossCalls() {
        GatewayMetrics metrics = new GatewayMetrics();
        String before = metrics.scrape();
        assertTrue(before.contains("gateway_playout_overflow_samples_total 0.0"), before);
        metrics.playoutOverflow(24_000);
        metrics.playoutOverflow(480);
        String after = metrics.scrape();
        assertTrue(after.contains("# HELP gateway_playout_overflow_samples_total Agent audio dropped"), after);
        assertTrue(after.contains("gateway_playout_overflow_samples_total 24480.0"), after);
    }

    @Test
    void aCounterReadThroughALambdaKeepsCountingAfterAGarbageCollection() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        AtomicLong refused = new AtomicLong(7);
        metrics.counter("test_refused", "counted elsewhere", () -> refused.get());
        metrics.counter("test_by_reason", "counted elsewhere", "reason", "source", () -> refused.get() * 2);
        WeakReference<Object> probe = new WeakReference<>(new Object());
        for (int i = 0; i < 50 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        refused.set(9);
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("test_refused_total 9.0"), scrape);
        assertTrue(scrape.contains("test_by_reason_total{reason=\"source\"} 18.0"), scrape);
    }
}
