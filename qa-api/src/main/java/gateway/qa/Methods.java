package gateway.qa;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.stream.Collectors;

/** The methods a resource allows; any other gets 405 with an {@code Allow} header (RFC 9110 §15.5.6). */
record Methods(List<HttpMethod> allowed) {

    static final Methods READ = new Methods(List.of(HttpMethod.GET, HttpMethod.HEAD));
    static final Methods POST = new Methods(List.of(HttpMethod.POST));
    static final Methods GET = new Methods(List.of(HttpMethod.GET));
    static final Methods DELETE = new Methods(List.of(HttpMethod.DELETE));
    static final Methods READ_DELETE = new Methods(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE));

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
