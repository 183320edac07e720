package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;

/** Each thread counts in its own row; a read sums every row, those of threads that have ended too. */
class ThreadCountsTest {

    private static final int ADDS = 200_000;

    @Test
    void twoThreadsAddingAtOnceLoseNothing() throws InterruptedException {
        ThreadCounts counts = new ThreadCounts(3);
        Runnable writer = () -> {
            for (int i = 0; i < ADDS; i++) {
                counts.add(i % 3, i % 3 + 1);
            }
        };
        DefaultThreadFactory loops = new DefaultThreadFactory("counts-test");
        Thread first = loops.newThread(writer);
        Thread second = loops.newThread(writer);
        first.start();
        second.start();
        first.join();
        second.join();
        long perSlot = ADDS / 3;
        long[] expected = {2 * (perSlot + 1), 2 * 2 * (perSlot + 1), 2 * 3 * perSlot};
        assertArrayEquals(expected, counts.sums(0, 3), "ADDS = 3k + 2: slots 0 and 1 get one more add per thread");
        assertEquals(expected[2], counts.sum(2));
        assertArrayEquals(new long[] {expected[1], expected[2]}, counts.sums(1, 2));
    }

    @Test
    void theCallingThreadsAddsShowAtOnceAndSlotsOutsideTheRowAreRefused() {
        ThreadCounts counts = new ThreadCounts(2);
        assertEquals(0, counts.sum(1));
        counts.add(1, 7);
        counts.add(1, -2);
        assertEquals(5, counts.sum(1));
        assertEquals(0, counts.sum(0));
        assertThrows(IndexOutOfBoundsException.class, () -> counts.add(2, 1), "the padding is not a slot");
        assertThrows(IndexOutOfBoundsException.class, () -> counts.add(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> counts.sums(1, 2));
    }
}
