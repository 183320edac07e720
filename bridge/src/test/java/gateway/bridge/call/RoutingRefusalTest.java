package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's refusals by routing cost nothing: a number no route takes gets 404 and a source its profile does
 * not allow 403, before any media loop, RTP port, recording or Realtime connection is touched (the dispatcher has
 * none of them here).
 */
class RoutingRefusalTest {

    private static final AgentProfile TENS_ONLY = new AgentProfile("sales", CallFixture.SESSION, null, null, false,
            false, false, List.of(), true, List.of(), null, address -> address.getAddress()[0] == 10);

    private static String refusal(ProfileRouter router, GatewayMetrics metrics) {
        CallContext ctx = new CallContext("203.0.113.5", router, null, null, metrics, null, null, 0);
        CallDispatcher dispatcher = new CallDispatcher(ctx, null, InetAddress.getLoopbackAddress(), null, null, null,
                Admission.unlimited(), id -> { });
        FakeDialog dialog = new FakeDialog("routed@192.0.2.10", FakeDialog.PCMU);
        dispatcher.onInvite(dialog);
        assertEquals(0, dispatcher.activeCalls());
        return String.join(", ", dialog.actions);
    }

    @Test
    void anUnknownNumberGets404BeforeAnythingIsOpened() {
        GatewayMetrics metrics = new GatewayMetrics();
        assertEquals("404 Not Found", refusal(call -> Optional.empty(), metrics));
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("gateway_calls_refused_total{reason=\"unknown_number\"} 1.0"), scrape);
        assertFalse(scrape.contains("gateway_calls_offered_total 1.0"), "a refused INVITE is not an offered call");
    }

    @Test
    void aSourceTheProfileDoesNotAllowGets403() {
        GatewayMetrics metrics = new GatewayMetrics();
        assertEquals("403 Forbidden", refusal(ProfileRouter.always(TENS_ONLY), metrics), "the caller is 192.0.2.10");
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("gateway_calls_refused_total{reason=\"profile_source\"} 1.0"), scrape);
    }
}
