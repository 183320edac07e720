package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one retransmission timer (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §13.3.1.4), on a manual clock. */
class RetransmissionTest {

    private final ManualScheduler scheduler = new ManualScheduler(0);
    private final List<Long> resends = new ArrayList<>();
    private final List<Long> giveUps = new ArrayList<>();

    private Retransmission start(boolean reliable, Retransmission.Backoff backoff) {
        return Retransmission.start(scheduler, reliable, backoff,
                () -> resends.add(scheduler.nanoTime() / 1_000_000L),
                () -> giveUps.add(scheduler.nanoTime() / 1_000_000L));
    }

    @Test
    void timerADoublesWithoutCapAndTimerBGivesUpAt64T1() {
        start(false, Retransmission.Backoff.DOUBLING);
        scheduler.advanceMillis(60_000);
        assertEquals(List.of(500L, 1500L, 3500L, 7500L, 15_500L, 31_500L), resends);
        assertEquals(List.of(32_000L), giveUps);
    }

    @Test
    void timersEAndGDoubleUpToT2AndGiveUpAt64T1() {
        start(false, Retransmission.Backoff.DOUBLING_TO_T2);
        scheduler.advanceMillis(60_000);
        assertEquals(List.of(500L, 1500L, 3500L, 7500L, 11_500L, 15_500L, 19_500L, 23_500L, 27_500L, 31_500L), resends);
        assertEquals(List.of(32_000L), giveUps);
    }

    @Test
    void afterAProvisionalTimerEFiresAsScheduledThenEveryT2() {
        Retransmission retransmission = start(false, Retransmission.Backoff.DOUBLING_TO_T2);
        scheduler.advanceMillis(600);
        retransmission.slowToT2();
        scheduler.advanceMillis(10_000);
        assertEquals(List.of(500L, 1500L, 5500L, 9500L), resends);
    }

    @Test
    void overAReliableTransportOnlyTheGiveUpRuns() {
        start(true, Retransmission.Backoff.DOUBLING_TO_T2);
        scheduler.advanceMillis(31_999);
        assertEquals(List.of(), giveUps);
        scheduler.advanceMillis(1);
        assertEquals(List.of(), resends);
        assertEquals(List.of(32_000L), giveUps);
    }

    @Test
    void stopEndsBothTimers() {
        Retransmission retransmission = start(false, Retransmission.Backoff.DOUBLING_TO_T2);
        scheduler.advanceMillis(2000);
        retransmission.stop();
        retransmission.stop();
        scheduler.advanceMillis(60_000);
        assertEquals(List.of(500L, 1500L), resends);
        assertEquals(List.of(), giveUps);
    }
}
