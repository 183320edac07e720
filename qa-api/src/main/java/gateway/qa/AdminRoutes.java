package gateway.qa;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code /health/ready}: 200 "ok" when the gateway takes calls, else 503 with the reason;
 * {@code GET /health/live}: 200 while the process serves at all; {@code GET /metrics}: the Prometheus text. Event
 * loop.
 */
final class AdminRoutes {

    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain";

    private final Supplier<String> notReady;
    private final Supplier<String> metrics;

    /** {@code notReady}: why the gateway takes no calls now, empty when it does; cheap (no I/O). */
    AdminRoutes(Supplier<String> notReady, Supplier<String> metrics) {
        this.notReady = notReady;
        this.metrics = metrics;
    }

    void ready(Exchange exchange) {
        String reason = notReady.get();
        if (reason.isEmpty()) {
            text(exchange, HttpResponseStatus.OK, "ok\n", TEXT);
        } else {
            text(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, reason + "\n", TEXT);
        }
    }

    void live(Exchange exchange) {
        text(exchange, HttpResponseStatus.OK, "ok\n", TEXT);
    }

    void metrics(Exchange exchange) {
        text(exchange, HttpResponseStatus.OK, metrics.get(), METRICS_TYPE);
    }

    private static void text(Exchange exchange, HttpResponseStatus status, String body, String type) {
        exchange.send(Exchange.full(status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), type));
    }
}
