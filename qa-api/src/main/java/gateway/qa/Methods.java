package gateway.qa;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The methods a resource allows; any other gets 405 with an {@code Allow} header (RFC 9110 §15.5.6). With
 * {@link #admit(Exchange, Who)} also the rest of a route's admission, in one place for every route that uses it.
 */
record Methods(List<HttpMethod> allowed) {

    /** Who may use a route, beyond what the access policy let in. */
    enum Who {
        /** Any token (viewer and up), not a share link: reviews and notes. */
        REVIEWER,
        /** Admin tokens only. */
        ADMIN;

        void check(Exchange exchange) throws ApiException {
            if (this == ADMIN) {
                CallsApi.requireAdmin(exchange);
            } else if (exchange.principal().shared()) {
                throw new ApiException(HttpResponseStatus.FORBIDDEN, ErrorCodes.ADMIN_ONLY,
                        "a share link only reads its call");
            }
        }
    }

    static final Methods READ = new Methods(List.of(HttpMethod.GET, HttpMethod.HEAD));
    static final Methods POST = new Methods(List.of(HttpMethod.POST));
    static final Methods GET = new Methods(List.of(HttpMethod.GET));
    static final Methods DELETE = new Methods(List.of(HttpMethod.DELETE));
    static final Methods READ_DELETE = new Methods(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE));

    /**
     * A route's whole admission: 405 (answered; returns false) for a method it does not allow, then 403 for a sender
     * {@code who} does not admit, 400 for any query parameter (such a route takes none) and, for a method that
     * changes something, 403 for a browser request from another site's page ({@link SameOrigin}).
     */
    boolean admit(Exchange exchange, Who who) throws ApiException {
        if (!admit(exchange)) {
            return false;
        }
        who.check(exchange);
        CallsApi.onlyParameters(exchange, Set.of());
        if (!READ.allowed().contains(exchange.method())) {
            SameOrigin.check(exchange);
        }
        return true;
    }

    /** Answers 405 and returns false when {@code exchange}'s method is not allowed. */
    boolean admit(Exchange exchange) {
        if (allowed.contains(exchange.method())) {
            return true;
        }
        FullHttpResponse response = Exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                ErrorCodes.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed here");
        response.headers().set(HttpHeaderNames.ALLOW,
                allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
        exchange.send(response);
        return false;
    }
}
