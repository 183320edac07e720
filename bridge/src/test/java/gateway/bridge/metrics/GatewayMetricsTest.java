package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallQuality;
import java.lang.ref.WeakReference;
import java.util.List;
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
    void skippedTicksAreCountedAsTheyHappenNotWhenTheCallEnds() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.outboundSkipped(GatewayMetrics.LATE_TICK, 3);
        metrics.outboundSkipped(GatewayMetrics.LATE_TICK, 2);
        metrics.outboundSkipped(GatewayMetrics.SOCKET_BUSY, 1);
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("gateway_rtp_outbound_skipped_total{reason=\"late_tick\"} 5.0"), scrape);
        assertTrue(scrape.contains("gateway_rtp_outbound_skipped_total{reason=\"busy\"} 1.0"), scrape);
    }

    @Test
    void playoutLatenessIsAPrometheusHistogramInSecondsWithCumulativeBuckets() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.playoutLateness(150_000);       // 0.15 ms
        metrics.playoutLateness(2_000_000);     // exactly 2 ms: in le=0.002
        metrics.playoutLateness(3_000_000);
        metrics.playoutLateness(900_000_000);
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("# TYPE gateway_playout_lateness_seconds histogram"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_bucket{le=\"1.0E-4\"} 0"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_bucket{le=\"0.002\"} 2"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_bucket{le=\"0.005\"} 3"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_bucket{le=\"1.0\"} 4"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_bucket{le=\"+Inf\"} 4"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_count 4"), scrape);
        assertTrue(scrape.contains("gateway_playout_lateness_seconds_sum 0.90515"), scrape);
        assertTrue(scrape.contains("# TYPE gateway_inbound_latency_seconds histogram"), scrape);
    }

    @Test
    void eachFinishedCallsQualityGoesIntoHistogramsWithoutItsId() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.callQuality(new CallQuality(1000, 1000, 1000, 20, 5, 0, 500, 3.2, 9.0, 42.0, 60.0, 1.0, 0, null,
                85.0, 4.1, List.of()));
        metrics.callQuality(new CallQuality(500, 500, 500, 0, 0, 0, 0, 0.5, 1.0, null, null, 0, 0, null, 93.2, 4.41,
                List.of()));
        metrics.callQuality(null);                                          // a call without media: nothing
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("gateway_call_jitter_seconds_count 2"), scrape);
        assertTrue(scrape.contains("gateway_call_jitter_seconds_bucket{le=\"0.001\"} 1"), scrape);
        assertTrue(scrape.contains("gateway_call_jitter_seconds_bucket{le=\"0.005\"} 2"), scrape);
        assertTrue(scrape.contains("gateway_call_rtt_seconds_count 1"), scrape);        // measured on one call only
        assertTrue(scrape.contains("gateway_call_loss_percent_bucket{le=\"1.0\"} 1"), scrape);   // none lost
        assertTrue(scrape.contains("gateway_call_loss_percent_bucket{le=\"2.0\"} 1"), scrape);   // 2.5 %
        assertTrue(scrape.contains("gateway_call_loss_percent_bucket{le=\"5.0\"} 2"), scrape);
        assertTrue(scrape.contains("gateway_call_r_factor_bucket{le=\"80.0\"} 0"), scrape);
        assertTrue(scrape.contains("gateway_call_r_factor_bucket{le=\"90.0\"} 1"), scrape);     // 85
        assertTrue(scrape.contains("gateway_call_r_factor_bucket{le=\"+Inf\"} 2"), scrape);     // 93.2
        assertFalse(scrape.contains("call_id"), "no call in the labels");
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
