package gateway.qa;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code GET /health}: 200 "ok" when ready, else 503; {@code GET /metrics}: the Prometheus text. Event loop. */
final class AdminRoutes {

    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain";

    private final BooleanSupplier ready;
    private final Supplier<String> metrics;

    AdminRoutes(BooleanSupplier ready, Supplier<String> metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    void health(Exchange exchange) {
        if (ready.getAsBoolean()) {
            text(exchange, HttpResponseStatus.OK, "ok\n", TEXT);
        } else {
            text(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, "starting or stopping\n", TEXT);
        }
    }

    void metrics(Exchange exchange) {
        text(exchange, HttpResponseStatus.OK, metrics.get(), METRICS_TYPE);
    }

    private static void text(Exchange exchange, HttpResponseStatus status, String body, String type) {
        exchange.send(Exchange.full(status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), type));
    }
}
