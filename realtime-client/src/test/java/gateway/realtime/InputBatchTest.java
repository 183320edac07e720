package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When held input audio goes out: a full batch at once, a partial one after a batch of ticks, never later. */
class InputBatchTest {

    private static final int MS_20 = 480;

    @Test
    void aBatchOfOneTickSendsEveryAppendAsItIsWritten() {
        InputBatch batch = new InputBatch(20);
        assertTrue(batch.appended(MS_20));
        assertTrue(batch.appended(3), "even a short one");
        assertFalse(batch.ticked(), "nothing is held");
    }

    @Test
    void appendsGoOutWhenTheyMakeABatch() {
        InputBatch batch = new InputBatch(60);
        assertFalse(batch.appended(MS_20));
        assertFalse(batch.appended(MS_20));
        assertEquals(2 * MS_20, batch.heldSamples());
        assertTrue(batch.appended(MS_20));
        assertEquals(0, batch.heldSamples());
        assertFalse(batch.appended(MS_20), "the next batch starts empty");
    }

    @Test
    void aPartialBatchGoesOutAfterABatchOfTicksWhateverTheirPhase() {
        InputBatch batch = new InputBatch(40);
        assertFalse(batch.ticked(), "ticks count only while something is held");
        assertFalse(batch.ticked());
        assertFalse(batch.appended(MS_20));
        assertFalse(batch.ticked(), "the first tick may come just after the append");
        assertTrue(batch.ticked(), "the second is at most 40 ms after it");
        assertFalse(batch.ticked());
        assertFalse(batch.appended(MS_20), "the tick count starts again with the next held append");
        assertFalse(batch.ticked());
    }

    @Test
    void shorterPacketsFillTheBatchBySamplesNotByCount() {
        InputBatch batch = new InputBatch(40);
        assertFalse(batch.appended(MS_20 / 2), "a 10 ms packet is a quarter of the batch");
        assertFalse(batch.appended(MS_20 / 2));
        assertFalse(batch.appended(MS_20 / 2));
        assertTrue(batch.appended(MS_20 / 2));
        assertFalse(batch.appended(MS_20 / 2));
        assertFalse(batch.ticked());
        assertTrue(batch.ticked(), "held over two ticks");
    }

    @Test
    void anyFlushEmptiesTheBatch() {
        InputBatch batch = new InputBatch(40);
        assertFalse(batch.appended(MS_20));
        assertFalse(batch.ticked());
        batch.flushed();
        assertFalse(batch.ticked());
        assertFalse(batch.appended(MS_20), "counts from zero again");
    }

    @Test
    void theBatchIsWholeTicks() {
        assertEquals(40, InputBatch.checked(40));
        assertThrows(IllegalArgumentException.class, () -> new InputBatch(30));
        assertThrows(IllegalArgumentException.class, () -> new InputBatch(0));
        assertThrows(IllegalArgumentException.class, () -> InputBatch.checked(-20));
    }
}
