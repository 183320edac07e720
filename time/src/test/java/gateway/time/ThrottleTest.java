package gateway.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void oneReportPerIntervalWithTheCountOfThoseHeldBack() {
        ManualScheduler clock = new ManualScheduler();
        Throttle throttle = new Throttle(clock, 10_000_000_000L);
        assertEquals(0, throttle.tryReport());
        for (int i = 0; i < 49; i++) {
            clock.advanceMillis(20);
            assertEquals(-1, throttle.tryReport());
        }
        clock.advanceMillis(10_000 - 49 * 20 - 1);
        assertEquals(-1, throttle.tryReport());
        clock.advanceMillis(1);
        assertEquals(50, throttle.tryReport());
        clock.advanceMillis(10_000);
        assertEquals(0, throttle.tryReport());
    }
}
