package gateway.qa;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;

/**
 * Applies the {@link AccessPolicy} to every request but {@code GET /health}: a missing or wrong bearer token gets
 * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3), a client off this machine when no token is set gets
 * 403; the request goes no further. The QA page's own files ({@link WebRoutes#isPagePath}) hold no call data and
 * are what asks for the token, so they need none; without a token they too are for this machine only. Stateless.
 */
@ChannelHandler.Sharable
final class AccessGuard extends SimpleChannelInboundHandler<Exchange> {

    /** The paths served to anyone who reaches the listener: the health probes, which tell only that. */
    static final Set<String> OPEN_PATHS = Set.of("/health", "/health/ready", "/health/live");
    private static final String REALM = "Bearer realm=\"gateway\"";

    private final AccessPolicy policy;

    AccessGuard(AccessPolicy policy) {
        super(false);
        this.policy = policy;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Exchange exchange) {
        if (OPEN_PATHS.contains(exchange.rawPath())) {
            ctx.fireChannelRead(exchange);
            return;
        }
        AccessPolicy.Decision decision = policy.decide(exchange.client().getAddress(),
                exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
        boolean page = WebRoutes.isPagePath(exchange.rawPath()) && decision != AccessPolicy.Decision.NOT_LOOPBACK;
        if (page || decision.allowed()) {
            exchange.tokenUsed(decision == AccessPolicy.Decision.TOKEN);
            ctx.fireChannelRead(exchange);
            return;
        }
        exchange.send(refusal(decision));
    }

    private static FullHttpResponse refusal(AccessPolicy.Decision decision) {
        return switch (decision) {
            case MISSING_TOKEN -> challenge(Exchange.error(HttpResponseStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                    "this API needs Authorization: Bearer <token>"), REALM);
            case WRONG_TOKEN -> challenge(Exchange.error(HttpResponseStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                    "the bearer token is not valid"), REALM + ", error=\"invalid_token\"");
            default -> Exchange.error(HttpResponseStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                    "no API token is configured, so only clients on this machine are served");
        };
    }

    private static FullHttpResponse challenge(FullHttpResponse response, String challenge) {
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        return response;
    }
}
