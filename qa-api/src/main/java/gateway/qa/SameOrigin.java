package gateway.qa;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Refuses a request that a browser sent from another site's page: its {@code Origin} (RFC 6454 §7) is not this
 * listener's. Without a token the API trusts this machine, and a browser here may run another site's script: it
 * could post a form to the API, or open a WebSocket (which no CORS rule guards), without reading the answer. Clients
 * that are not browsers send no Origin and are not affected.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static void check(Exchange exchange) throws ApiException {
        String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
        String host = exchange.headers().get(HttpHeaderNames.HOST);
        if (origin != null && (host == null || !(origin.equalsIgnoreCase("http://" + host)
                || origin.equalsIgnoreCase("https://" + host)))) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "requests from another"
                    + " site's page are refused (Origin " + origin + ")");
        }
    }
}
