package gateway.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    @Test
    void runsTasksInTimeOrderAtTheirOwnTime() {
        ManualScheduler s = new ManualScheduler(0);
        List<String> ran = new ArrayList<>();
        s.schedule(() -> ran.add("b@" + s.nanoTime()), 20_000_000);
        s.schedule(() -> ran.add("a@" + s.nanoTime()), 10_000_000);
        Cancellable c = s.schedule(() -> ran.add("never"), 15_000_000);
        c.cancel();
        s.advanceMillis(5);
        assertEquals(List.of(), ran);
        s.advanceMillis(30);
        assertEquals(List.of("a@10000000", "b@20000000"), ran);
        assertEquals(35_000_000, s.nanoTime());
    }

    @Test
    void tasksScheduledWhileRunningFallDueInTheSameAdvance() {
        ManualScheduler s = new ManualScheduler(0);
        List<Long> ticks = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.add(s.nanoTime() / 1_000_000);
            s.schedule(tick[0], 20_000_000);
        };
        s.schedule(tick[0], 0);
        s.advanceMillis(65);
        assertEquals(List.of(0L, 20L, 40L, 60L), ticks);
    }
}
