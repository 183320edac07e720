package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

class BlockPoolTest {

    private static final int SPARE = 4;

    private final BlockPool pool = new BlockPool(1_000);
    private final ArrayDeque<SampleBlock> held = new ArrayDeque<>();

    private void take(int n) {
        for (int i = 0; i < n; i++) {
            SampleBlock block = pool.acquire();
            assertNotNull(block);
            held.addLast(block);
        }
    }

    private void giveBack(int n) {
        for (int i = 0; i < n; i++) {
            pool.release(held.pollFirst());
        }
    }

    @Test
    void aTrimJustAfterAPassKeepsWhatTheNextPassNeeds() {
        // Between passes the loops take 30 blocks; the pass gives back all but the 5 still being filled.
        take(35);
        giveBack(30);
        pool.trim(SPARE);
        assertEquals(35, pool.allocated(), "the period's peak is kept");
        for (int period = 0; period < 5; period++) {
            take(30);
            giveBack(30);
            pool.trim(SPARE);
            assertEquals(35, pool.allocated(), "period " + period + ": the same blocks again, no new ones");
        }
    }

    @Test
    void theSurplusAfterABacklogGoesOnePeriodLater() {
        take(205);
        giveBack(200);
        pool.trim(SPARE);
        assertEquals(205, pool.allocated(), "the backlog's period still counts its peak");
        take(30);
        giveBack(25);
        pool.trim(SPARE);
        // This period's peak: the 5 held before it and 30 more; the free blocks beyond it and the spare go.
        assertEquals(10, pool.inUse());
        assertEquals(35 + SPARE, pool.allocated());
        assertEquals(205, pool.peakInUse(), "the all-time peak stays for the metrics");
    }

    @Test
    void noMoreThanMaxBlocksExist() {
        BlockPool small = new BlockPool(3);
        SampleBlock a = small.acquire();
        assertNotNull(small.acquire());
        assertNotNull(small.acquire());
        assertNull(small.acquire(), "the fourth block would pass the budget");
        small.release(a);
        assertNotNull(small.acquire(), "a block given back is taken again");
        assertEquals(3, small.allocated());
    }
}
