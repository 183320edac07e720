package gateway.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.RecordingFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Sends each admitted request to its resource by path: {@code /health} (and {@code /ready}, {@code /live}),
 * {@code /metrics}, {@code /api/calls…} ({@link CallsApi}), {@code /api/stats} ({@link StatsApi}),
 * {@code /api/scorecard}, {@code /api/export}, {@code /api/shares}, {@code /api/audit}, the QA page at {@code /} and
 * its files at {@code /static/…} ({@link WebRoutes}); anything else is 404. Paths are split before they are decoded
 * ({@link PathSegments}). Stateless.
 */
@ChannelHandler.Sharable
final class RequestRouter extends SimpleChannelInboundHandler<Exchange> {

    private static final System.Logger LOG = System.getLogger(RequestRouter.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HEALTH = List.of("health");
    private static final List<String> READY = List.of("health", "ready");
    private static final List<String> LIVE = List.of("health", "live");
    private static final List<String> METRICS = List.of("metrics");
    private static final List<String> ROOT = List.of("");
    private static final List<String> ME = List.of("api", "me");
    private static final List<String> AUDIT = List.of("api", AuditApi.AUDIT);
    private static final List<String> SCORECARD = List.of("api", ReviewApi.SCORECARD);
    private static final List<String> EXPORT = List.of("api", ExportApi.EXPORT);
    private static final List<String> SHARE_LIST = List.of("api", ShareApi.SHARES);
    private static final List<String> STATS = List.of("api", StatsApi.STATS);
    private static final String API = "api";
    private static final String CALLS = "calls";

    /** What a share link may read of its call, besides call.json itself. */
    private static final Set<String> SHARED_FILES = Set.of(RecordingFormat.AUDIO_FILE, RecordingFormat.VTT_FILE,
            RecordingFormat.SRT_FILE, CallsApi.TRANSCRIPT, HoldApi.HOLD);

    private final AdminRoutes admin;
    private final CallsApi calls;
    private final WebRoutes web;
    private final AuditApi audit;
    private final AuditLog auditLog;
    private final StatsApi stats;

    RequestRouter(AdminRoutes admin, CallsApi calls, WebRoutes web, AuditLog auditLog) {
        super(false);
        this.admin = admin;
        this.calls = calls;
        this.web = web;
        this.auditLog = auditLog;
        this.audit = new AuditApi(auditLog);
        this.stats = new StatsApi(calls.library(), auditLog);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Exchange exchange) {
        try {
            route(exchange);
        } catch (ApiException e) {
            exchange.sendError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "request " + exchange.method() + " " + exchange.rawPath() + " failed", e);
            exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                    "the request failed inside the gateway");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "HTTP connection {0} closed: {1}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** {@code GET /api/me}: the name and role the request's token has, so the page shows only what it may do. */
    private static void me(Exchange exchange) {
        Principal who = exchange.principal();
        ObjectNode body = MAPPER.createObjectNode().put("name", who.name()).put("role", who.role().jsonName())
                .put("admin", who.admin());
        if (who.shared()) {
            body.put("share_call", who.share());
        }
        FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8), Exchange.JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        exchange.send(response);
    }

    /**
     * A share link reads its one call (call.json, audio, captions, transcript, hold) and the page, with GET or
     * HEAD; anything else is 403. Each use is audited ({@code share_used}, once per window as a listen is).
     */
    private void checkShareScope(Exchange exchange, List<String> segments) throws ApiException {
        Principal who = exchange.principal();
        boolean read = Methods.READ.allowed().contains(exchange.method());
        boolean page = segments.equals(ROOT) || segments.size() == 2 && segments.get(0).equals(WebRoutes.STATIC);
        boolean call = segments.size() >= 3 && segments.size() <= 4 && segments.get(0).equals(API)
                && segments.get(1).equals(CALLS) && segments.get(2).equals(who.share())
                && (segments.size() == 3 || SHARED_FILES.contains(segments.get(3)));
        if (!read || !(page || call || segments.equals(ME))) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, ErrorCodes.ADMIN_ONLY,
                    "a share link only reads its call");
        }
        if (call) {
            auditLog.recordRead(exchange, "share_used", who.share(), who.name());
        }
    }

    private void route(Exchange exchange) throws ApiException {
        List<String> segments = PathSegments.decode(exchange.rawPath());
        if (exchange.principal().shared()) {
            checkShareScope(exchange, segments);
        }
        if (segments.equals(HEALTH) || segments.equals(READY)) {
            if (Methods.READ.admit(exchange)) {
                admin.ready(exchange);
            }
        } else if (segments.equals(LIVE)) {
            if (Methods.READ.admit(exchange)) {
                admin.live(exchange);
            }
        } else if (segments.equals(METRICS)) {
            if (Methods.READ.admit(exchange)) {
                admin.metrics(exchange);
            }
        } else if (segments.equals(ME)) {
            if (Methods.READ.admit(exchange)) {
                CallsApi.onlyParameters(exchange, Set.of());
                me(exchange);
            }
        } else if (segments.equals(AUDIT)) {
            if (Methods.READ.admit(exchange)) {
                CallsApi.requireAdmin(exchange);
                AuditApi.Query query = AuditApi.parse(exchange.parameters());
                calls.offload(exchange, () -> audit.answer(exchange, query));
            }
        } else if (segments.equals(STATS)) {
            if (Methods.READ.admit(exchange)) {
                stats.handle(exchange, calls);
            }
        } else if (segments.equals(SCORECARD)) {
            if (Methods.READ.admit(exchange)) {
                CallsApi.onlyParameters(exchange, Set.of());
                calls.review().scorecard(exchange);
            }
        } else if (segments.equals(EXPORT)) {
            if (Methods.GET.admit(exchange)) {
                calls.export().start(exchange);
            }
        } else if (segments.equals(SHARE_LIST)) {
            if (Methods.READ.admit(exchange, Methods.Who.ADMIN)) {
                calls.share().list(exchange);
            }
        } else if (segments.size() == 3 && segments.get(0).equals(API) && segments.get(1).equals(ShareApi.SHARES)) {
            if (Methods.DELETE.admit(exchange, Methods.Who.ADMIN)) {
                String id = ShareApi.shareId(segments.get(2));
                calls.offload(exchange, () -> calls.share().revoke(exchange, id));
            }
        } else if (segments.size() >= 2 && segments.get(0).equals(API) && segments.get(1).equals(CALLS)) {
            calls.handle(exchange, segments.subList(2, segments.size()));
        } else if (segments.equals(ROOT)) {
            web.index(exchange);
        } else if (segments.size() == 2 && segments.get(0).equals(WebRoutes.STATIC)) {
            web.file(exchange, segments.get(1));
        } else {
            throw ApiException.notFound("no such resource");
        }
    }
}
