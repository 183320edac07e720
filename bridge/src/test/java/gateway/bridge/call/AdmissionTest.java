package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.metrics.PlayoutLag;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** New calls are refused with 503 and Retry-After before the calls up could lose audio. */
class AdmissionTest {

    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean mediaBehind = new AtomicBoolean();
    private final AtomicBoolean diskFull = new AtomicBoolean();
    private final Admission admission = new Admission(3, backlog::get, mediaBehind::get, diskFull::get);

    @Test
    void admitsUntilTheCallLimitOrARecorderSecondBehind() {
        assertTrue(admission.decide(0).admitted());
        assertTrue(admission.decide(2).admitted());
        assertEquals(new Admission.Decision("capacity", 30), admission.decide(3));
        backlog.set(Admission.MAX_RECORDER_BACKLOG_NANOS - 1);
        assertTrue(admission.decide(2).admitted(), "a writer under a second behind is keeping up");
        backlog.set(Admission.MAX_RECORDER_BACKLOG_NANOS);
        assertEquals(new Admission.Decision("recorder_backlog", 5), admission.decide(0));
        assertEquals(new Admission.Decision("capacity", 30), admission.decide(3), "the limit is named first");
        backlog.set(0);
        assertTrue(admission.decide(1).admitted(), "once the writer caught up calls are taken again");
    }

    @Test
    void refusesWhileTheMediaLoopsAreBehindAndTakesCallsOnceTheyCatchUp() {
        mediaBehind.set(true);
        assertEquals(new Admission.Decision("media_lag", 5), admission.decide(1));
        assertEquals(new Admission.Decision("capacity", 30), admission.decide(3), "the limit is named first");
        mediaBehind.set(false);
        assertTrue(admission.decide(1).admitted());
    }

    @Test
    void refusesWhileTheRecordingsDiskIsFullAndTakesCallsOnceThereIsRoom() {
        diskFull.set(true);
        assertEquals(new Admission.Decision("disk_full", 30), admission.decide(0));
        backlog.set(Admission.MAX_RECORDER_BACKLOG_NANOS);
        assertEquals(new Admission.Decision("disk_full", 30), admission.decide(1), "the disk is named before the"
                + " backlog it causes");
        assertEquals(new Admission.Decision("capacity", 30), admission.decide(3), "the limit is named first");
        diskFull.set(false);
        backlog.set(0);
        assertTrue(admission.decide(1).admitted());
    }

    @Test
    void lateTicksOfTheCallsUpRefuseTheNextInviteWith503() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        Admission watching = new Admission(100, () -> 0, metrics.playoutLag()::behind);
        CallDispatcher dispatcher = new CallDispatcher(new CallContext("203.0.113.5",
                ProfileRouter.always(AgentProfile.of(CallFixture.SESSION, false)), null, null, metrics, null, null, 0),
                null, InetAddress.getLoopbackAddress(), null, null, null, watching, id -> { });
        for (int window = 0; window < PlayoutLag.SUSTAINED_WINDOWS; window++) {
            for (int tick = 0; tick < PlayoutLag.MIN_TICKS; tick++) { // ten calls' second, 5 % of it 5 ms late
                metrics.playoutLateness(tick % 20 == 0 ? PlayoutLag.LATE_NANOS : PlayoutLag.LATE_NANOS - 1);
            }
            metrics.playoutLag().roll();
        }
        FakeDialog dialog = new FakeDialog("lagging@192.0.2.10", FakeDialog.PCMU);
        dispatcher.onInvite(dialog);
        assertEquals(List.of("503 Service Unavailable Retry-After 5"), dialog.actions);
        assertTrue(metrics.scrape().contains("gateway_calls_refused_total{reason=\"media_lag\"} 1.0"));
        assertTrue(metrics.scrape().contains("gateway_playout_late_ratio 0.05"), metrics.scrape());
    }

    @Test
    void theDispatcherAnswers503WithRetryAfterBeforeOpeningAnything() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        CallContext ctx = new CallContext("203.0.113.5", ProfileRouter.always(AgentProfile.of(CallFixture.SESSION,
                false)), null, null, metrics, null, null, 0);
        // No media loops, ports or Realtime client: a refused INVITE must not reach any of them.
        CallDispatcher dispatcher = new CallDispatcher(ctx, null,
                InetAddress.getLoopbackAddress(), null, null, null, admission, id -> { });
        backlog.set(2_000_000_000L);
        FakeDialog dialog = new FakeDialog("busy@192.0.2.10", FakeDialog.PCMU);
        dispatcher.onInvite(dialog);
        assertEquals(List.of("503 Service Unavailable Retry-After 5"), dialog.actions);
        assertEquals(0, dispatcher.activeCalls());
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("gateway_calls_refused_total{reason=\"recorder_backlog\"} 1.0"), scrape);
        assertTrue(scrape.contains("gateway_calls_refused_total{reason=\"capacity\"} 0.0"), scrape);
        assertFalse(scrape.contains("gateway_calls_offered_total 1.0"), "a refused INVITE is not an offered call");
    }
}
