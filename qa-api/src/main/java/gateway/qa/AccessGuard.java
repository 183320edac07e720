package gateway.qa;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.Set;

/**
 * Applies the {@link AccessPolicy} to every request but {@code GET /health}: a missing or wrong bearer token gets
 * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3), a client off this machine when no token is set gets
 * 403; the request goes no further. The QA page's own files ({@link WebRoutes#isPagePath}) hold no call data and
 * are what asks for the token, so they need none; without a token they too are for this machine only. A browser
 * cannot put the token on a WebSocket, so the listen socket's upgrade may instead present a one-use ticket in its
 * {@code Sec-WebSocket-Protocol} header ({@link ListenTickets}), got with the token. A share link's token
 * ({@link ShareLinks}) lets in a reader of its one call (its scope is checked by {@link RequestRouter}); an expired
 * or revoked one gets 401 {@code share_link_invalid}. Stateless but for the tickets and the links.
 */
@ChannelHandler.Sharable
final class AccessGuard extends SimpleChannelInboundHandler<Exchange> {

    /** The paths served to anyone who reaches the listener: the health probes, which tell only that. */
    static final Set<String> OPEN_PATHS = Set.of("/health", "/health/ready", "/health/live");
    private static final String REALM = "Bearer realm=\"gateway\"";

    private static final String LISTEN_PREFIX = "/api/calls/";
    private static final String LISTEN_SUFFIX = "/listen";

    /** Who opens a listen socket with a ticket: only an admin can get one. */
    private static final Principal LISTEN_TICKET = Principal.token("listen-ticket", ApiRole.ADMIN);

    /** Share links appear in the audit as {@code share:<id>}. */
    static final String SHARE_PREFIX = "share:";

    private final AccessPolicy policy;
    private final ListenTickets tickets;
    private final ShareLinks shares;

    AccessGuard(AccessPolicy policy, ListenTickets tickets, ShareLinks shares) {
        super(false);
        this.policy = policy;
        this.tickets = tickets;
        this.shares = shares;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Exchange exchange) {
        if (OPEN_PATHS.contains(exchange.rawPath())) {
            ctx.fireChannelRead(exchange);
            return;
        }
        AccessPolicy.Verdict verdict = policy.decide(exchange.client().getAddress(),
                exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
        AccessPolicy.Decision decision = verdict.decision();
        Principal principal = verdict.principal();
        if (decision == AccessPolicy.Decision.MISSING_TOKEN && ticketPresented(exchange)) {
            decision = AccessPolicy.Decision.TOKEN;
            principal = LISTEN_TICKET;
        }
        String bearer = AccessPolicy.bearer(exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (bearer != null && bearer.startsWith(ShareLinks.PREFIX)) {
            Optional<ShareLinks.Share> share = shares.verify(bearer);
            if (share.isEmpty()) {
                exchange.send(challenge(Exchange.error(HttpResponseStatus.UNAUTHORIZED, ErrorCodes.SHARE_INVALID,
                        "this share link has expired or was revoked"), REALM + ", error=\"invalid_token\""));
                return;
            }
            decision = AccessPolicy.Decision.TOKEN;
            principal = new Principal(SHARE_PREFIX + share.get().id(), ApiRole.VIEWER, share.get().call());
        }
        boolean page = WebRoutes.isPagePath(exchange.rawPath()) && decision != AccessPolicy.Decision.NOT_LOOPBACK;
        if (page || decision.allowed()) {
            exchange.tokenUsed(decision == AccessPolicy.Decision.TOKEN);
            exchange.principal(principal == null ? Principal.ANONYMOUS : principal);
            ctx.fireChannelRead(exchange);
            return;
        }
        exchange.send(refusal(decision));
    }

    /** A listen socket's upgrade with a live ticket for its call (used up by this check). */
    private boolean ticketPresented(Exchange exchange) {
        String path = exchange.rawPath();
        if (!path.startsWith(LISTEN_PREFIX) || !path.endsWith(LISTEN_SUFFIX)
                || path.length() <= LISTEN_PREFIX.length() + LISTEN_SUFFIX.length()) {
            return false;
        }
        String id = path.substring(LISTEN_PREFIX.length(), path.length() - LISTEN_SUFFIX.length());
        return tickets.redeem(exchange.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL), id);
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
