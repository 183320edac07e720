package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-session problem reports: every occurrence counted, one line per kind per interval, one fault. */
class RtpProblemsTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 31000);
    private static final long MS = 1_000_000L;

    private final ManualScheduler clock = new ManualScheduler(0);
    private final RtpStats stats = new RtpStats();
    private final LogCapture log = LogCapture.detached();
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private final RtpProblems problems = new RtpProblems("RTP port 40000", stats, listener, clock, log.logger());

    @Test
    void aRepeatedWarningIsOneLinePerIntervalWithTheNumberHeldBack() {
        problems.malformed(RtpPacket.Check.BAD_VERSION, SENDER);               // t = 0: reported
        for (int i = 1; i < 500; i++) {                                         // 20 ms apart until 9.98 s: held
            clock.advanceNanos(20 * MS);
            problems.malformed(RtpPacket.Check.BAD_VERSION, SENDER);
        }
        clock.advanceNanos(20 * MS);                                            // t = 10 s: the interval is over
        problems.malformed(RtpPacket.Check.TOO_SHORT, SENDER);
        clock.advanceNanos(RtpProblems.WARNING_INTERVAL_NANOS);
        problems.malformed(RtpPacket.Check.TOO_SHORT, SENDER);                  // none held back this time

        assertEquals(List.of(
                "RTP port 40000: malformed RTP datagram from /198.51.100.7:31000 (BAD_VERSION)",
                "RTP port 40000: malformed RTP datagram from /198.51.100.7:31000 (TOO_SHORT)"
                        + " (499 more held back since the previous line)",
                "RTP port 40000: malformed RTP datagram from /198.51.100.7:31000 (TOO_SHORT)"),
                log.messages(Level.WARNING));
        assertEquals(502, stats.malformed);
    }

    @Test
    void eachKindHasItsOwnInterval() {
        problems.unexpectedPayloadType(96, SENDER);
        problems.unexpectedPayloadType(96, SENDER);
        clock.advanceNanos(5_000 * MS);
        problems.sendBusy();                                                    // not held back by the other kind
        problems.sendBusy();
        problems.noRemote();
        problems.noRemote();
        problems.notReceiving();

        assertEquals(List.of(
                "RTP port 40000: RTP payload type 96 from /198.51.100.7:31000 was not negotiated; packet ignored",
                "RTP port 40000: previous RTP packet still queued in the socket; tick not sent"),
                log.messages(Level.WARNING));
        assertEquals(List.of(
                "RTP port 40000: no remote RTP address yet; tick not sent",
                "RTP port 40000: RTP received while the stream does not receive; dropped"),
                log.messages(Level.DEBUG));
        assertEquals(2, stats.packetsIgnored);
        assertEquals(2, stats.sendsBusy);
        assertEquals(2, stats.sendsNoRemote);
        assertEquals(1, stats.packetsNotReceiving);
    }

    @Test
    void theFirstFaultStopsTheSessionAndReachesTheListenerOnce() {
        int[] stops = {0};
        problems.stopWith(() -> stops[0]++);
        RuntimeException first = new IllegalStateException("first");
        problems.fault(first);
        problems.fault(new IllegalStateException("second"));

        assertEquals(1, stops[0]);
        assertEquals(List.of(first), listener.faults);
        assertEquals(List.of("RTP port 40000: media stopped by a fault: java.lang.IllegalStateException: first"),
                log.messages(Level.WARNING));
    }

    @Test
    void aListenerThatThrowsOnTheFaultIsLoggedNotPropagated() {
        RuntimeException handlerBug = new IllegalArgumentException("handler bug");
        RtpProblems withBadListener = new RtpProblems("RTP port 40000", stats, new TestPackets.RecordingListener() {
            @Override
            public void onMediaFault(Throwable error) {
                throw handlerBug;
            }
        }, clock, log.logger());
        RuntimeException fault = new IllegalStateException("fault");
        withBadListener.fault(fault);

        LogCapture.Line error = log.lines().stream().filter(l -> l.level() == Level.ERROR).findFirst().orElseThrow();
        assertSame(handlerBug, error.thrown());
        assertSame(fault, handlerBug.getSuppressed()[0]);
    }
}
