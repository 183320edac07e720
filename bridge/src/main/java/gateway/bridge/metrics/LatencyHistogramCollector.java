package gateway.bridge.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Serves a {@link LatencyHistogram}'s fixed-bound counts as a Prometheus histogram in seconds ({@code _bucket},
 * {@code _count}, {@code _sum}), read at scrape time, so a window's share of values under a bound is the difference of
 * two scrapes (PromQL: {@code histogram_quantile} over {@code rate}).
 */
final class LatencyHistogramCollector implements Collector {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double[] BOUNDS_SECONDS = boundsSeconds();

    private final String name;
    private final String help;
    private final LatencyHistogram histogram;

    LatencyHistogramCollector(String name, String help, LatencyHistogram histogram) {
        this.name = name;
        this.help = help;
        this.histogram = histogram;
    }

    private static double[] boundsSeconds() {
        double[] seconds = new double[LatencyHistogram.BOUNDS_NANOS.length + 1];
        for (int i = 0; i < LatencyHistogram.BOUNDS_NANOS.length; i++) {
            seconds[i] = LatencyHistogram.BOUNDS_NANOS[i] / NANOS_PER_SECOND;
        }
        seconds[seconds.length - 1] = Double.POSITIVE_INFINITY;
        return seconds;
    }

    @Override
    public MetricSnapshot collect() {
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS,
                                histogram.boundedCounts()))
                        .sum(histogram.sumNanos() / NANOS_PER_SECOND)
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return name;
    }
}
