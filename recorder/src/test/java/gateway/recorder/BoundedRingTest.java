package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedRingTest {

    @Test
    void fifoUpToCapacityThenRefusesAndWrapsAround() {
        BoundedRing<Integer> ring = new BoundedRing<>(3);
        for (int round = 0; round < 5; round++) {
            assertTrue(ring.offer(round * 10 + 1));
            assertTrue(ring.offer(round * 10 + 2));
            assertTrue(ring.offer(round * 10 + 3));
            assertFalse(ring.offer(99));
            assertEquals(3, ring.size());
            assertEquals(round * 10 + 1, ring.poll());
            assertEquals(round * 10 + 2, ring.poll());
            assertEquals(round * 10 + 3, ring.poll());
            assertNull(ring.poll());
        }
    }

    @Test
    void manyProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        BoundedRing<long[]> ring = new BoundedRing<>(64);
        int producers = 4;
        int perProducer = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    long[] item = {id, i};
                    while (!ring.offer(item)) {
                        Thread.onSpinWait();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        long[] next = new long[producers];
        int received = 0;
        while (received < producers * perProducer) {
            long[] item = ring.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(next[(int) item[0]]++, item[1]);
            received++;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(ring.poll());
    }
}
