package gateway.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void fixedRateRunsOnItsGridCatchesUpBackToBackAndStopsWhenCancelled() {
        ManualScheduler s = new ManualScheduler(0);
        List<Long> runs = new ArrayList<>();
        Cancellable c = s.scheduleAtFixedRate(() -> runs.add(s.nanoTime() / 1_000_000), 5_000_000, 20_000_000);
        s.advanceMillis(4);
        assertEquals(List.of(), runs);
        s.advanceMillis(46);
        assertEquals(List.of(5L, 25L, 45L), runs);
        assertEquals(1, s.pending()); // one entry, re-queued
        c.cancel();
        s.advanceMillis(100);
        assertEquals(List.of(5L, 25L, 45L), runs);
        assertEquals(0, s.pending());
    }

    @Test
    void fixedRateTaskThatStallsTheLoopGetsItsMissedRunsAtOnceThenReturnsToTheGrid() {
        ManualScheduler s = new ManualScheduler(0);
        List<Long> runs = new ArrayList<>();
        s.scheduleAtFixedRate(() -> {
            runs.add(s.nanoTime() / 1_000_000);
            if (runs.size() == 1) {
                s.advanceMillis(50); // the first run keeps the thread 50 ms: the runs of 20 and 40 ms are late
            }
        }, 0, 20_000_000);
        s.advanceMillis(75);
        assertEquals(List.of(0L, 50L, 50L, 60L), runs);
    }

    @Test
    void defaultFixedRateChainsOneShotsOnTheSameGrid() {
        ManualScheduler manual = new ManualScheduler(0);
        Scheduler oneShotOnly = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, long delayNanos) {
                return manual.schedule(task, delayNanos);
            }

            @Override
            public long nanoTime() {
                return manual.nanoTime();
            }
        };
        List<Long> runs = new ArrayList<>();
        Cancellable c = oneShotOnly.scheduleAtFixedRate(() -> runs.add(manual.nanoTime() / 1_000_000), -3, 20_000_000);
        manual.advanceMillis(41);
        assertEquals(List.of(0L, 20L, 40L), runs);
        c.cancel();
        manual.advanceMillis(100);
        assertEquals(List.of(0L, 20L, 40L), runs);
        assertThrows(IllegalArgumentException.class, () -> oneShotOnly.scheduleAtFixedRate(() -> { }, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> manual.scheduleAtFixedRate(() -> { }, 0, -1));
    }

    @Test
    void executorFixedRateReusesOneScheduledTaskOnItsGrid() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor exec = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        try {
            Scheduler s = Scheduler.on(exec);
            java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
            long start = s.nanoTime();
            List<Long> at = java.util.Collections.synchronizedList(new ArrayList<>());
            Cancellable c = s.scheduleAtFixedRate(() -> {
                at.add(s.nanoTime() - start);
                three.countDown();
            }, -5, 2_000_000);
            assertTrue(three.await(5, java.util.concurrent.TimeUnit.SECONDS));
            c.cancel();
            assertTrue(at.get(1) >= 2_000_000, "second run at " + at.get(1) + " ns, grid 2 ms");
            assertTrue(at.get(2) >= 4_000_000, "third run at " + at.get(2) + " ns, grid 4 ms");
        } finally {
            exec.shutdownNow();
        }
    }
}
