package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The readiness view of the Realtime service on the manual clock: tripped by failures in a row, reset by time. */
class RealtimeHealthTest {

    private final ManualScheduler clock = new ManualScheduler(0);
    private final RealtimeHealth health = new RealtimeHealth(clock);

    @Test
    void failuresInARowTripItAndASuccessResetsThem() {
        health.failed();
        health.failed();
        assertFalse(health.failing(), "two failures are bad luck");
        health.connected();
        health.failed();
        health.failed();
        assertFalse(health.failing(), "a success in between starts the count again");
        health.failed();
        assertTrue(health.failing(), "three in a row: down");
        health.connected();
        assertFalse(health.failing());
    }

    @Test
    void itCountsAsUpAgainAWhileAfterTheLastFailureSoCallsComeBackToTry() {
        for (int i = 0; i < RealtimeHealth.FAILURES_TO_TRIP; i++) {
            health.failed();
        }
        clock.advanceNanos(RealtimeHealth.RETRY_AFTER_NANOS - 1);
        assertTrue(health.failing());
        clock.advanceNanos(1);
        assertFalse(health.failing(), "ready again: the next call tries");
        health.failed();
        assertTrue(health.failing(), "and one more failure makes it down again at once");
    }
}
