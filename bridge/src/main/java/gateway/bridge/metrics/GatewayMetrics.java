package gateway.bridge.metrics;

import gateway.bridge.call.EndReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The gateway's Prometheus metrics: calls offered, active, answered and ended by reason. Thread-safe. */
public final class GatewayMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger active = new AtomicInteger();
    private final Counter offered;
    private final Counter answered;
    private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);

    public GatewayMetrics() {
        Gauge.builder("gateway_calls_active", active, AtomicInteger::get)
                .description("Calls in progress, ringing or answered").register(registry);
        offered = Counter.builder("gateway_calls_offered").description("INVITEs that started a call").register(registry);
        answered = Counter.builder("gateway_calls_answered").description("Calls answered with 200 OK").register(registry);
        for (EndReason reason : EndReason.values()) {
            ended.put(reason, Counter.builder("gateway_calls_ended").tag("reason", reason.label())
                    .description("Calls ended, by reason").register(registry));
        }
    }

    public void callOffered() {
        offered.increment();
        active.incrementAndGet();
    }

    public void callAnswered() {
        answered.increment();
    }

    public void callEnded(EndReason reason, boolean wasAnswered) {
        ended.get(reason).increment();
        active.decrementAndGet();
    }

    /** Exposes a value read at scrape time, e.g. the recorder's dropped chunks. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
