package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
