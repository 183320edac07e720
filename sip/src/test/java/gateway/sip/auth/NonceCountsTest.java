package gateway.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The replay window: each count of a nonce once, late ones within the window, and a forgotten nonce never again. */
class NonceCountsTest {

    private static final long LONG_AGO = -1_000_000;

    @Test
    void eachCountOfANonceIsTakenOnce() {
        NonceCounts counts = new NonceCounts(10);
        assertTrue(counts.accept("n", 100, 1, LONG_AGO));
        assertFalse(counts.accept("n", 100, 1, LONG_AGO), "replayed");
        assertTrue(counts.accept("n", 100, 2, LONG_AGO));
        assertTrue(counts.accept("n", 100, 5, LONG_AGO));
        assertTrue(counts.accept("n", 100, 4, LONG_AGO), "late but within the window");
        assertFalse(counts.accept("n", 100, 4, LONG_AGO), "the late one replayed");
        assertTrue(counts.accept("n", 100, 3, LONG_AGO));
        assertFalse(counts.accept("n", 100, 0, LONG_AGO), "counts start at 1");
    }

    @Test
    void countsFartherBelowTheHighestThanTheWindowAreRefused() {
        NonceCounts counts = new NonceCounts(10);
        assertTrue(counts.accept("n", 100, 1, LONG_AGO));
        assertTrue(counts.accept("n", 100, 1 + NonceCounts.WINDOW, LONG_AGO));
        assertFalse(counts.accept("n", 100, 1, LONG_AGO));
        assertTrue(counts.accept("n", 100, 2, LONG_AGO), "just inside the window and never seen");
        assertTrue(counts.accept("n", 100, 1000, LONG_AGO), "a jump past the window");
        assertFalse(counts.accept("n", 100, 1000, LONG_AGO));
    }

    @Test
    void aFullTableForgetsItsOldestNonceAndRefusesWhatItMayHaveForgotten() {
        NonceCounts counts = new NonceCounts(2);
        assertTrue(counts.accept("a", 10, 1, LONG_AGO));
        assertTrue(counts.accept("b", 30, 1, LONG_AGO));
        assertTrue(counts.accept("c", 20, 1, LONG_AGO), "a goes, the watermark is 10");
        assertEquals(2, counts.size());
        assertFalse(counts.accept("a", 10, 2, LONG_AGO), "forgotten: it may have been used");
        assertFalse(counts.accept("old", 5, 1, LONG_AGO), "issued before the watermark: it may have been used");
        assertTrue(counts.accept("new", 40, 1, LONG_AGO), "b goes, the watermark is 30");
        assertFalse(counts.accept("d", 25, 1, LONG_AGO), "issued before the watermark now");
        assertTrue(counts.accept("c", 20, 2, LONG_AGO), "c is still kept");
    }

    @Test
    void staleNoncesMakeRoomBeforeFreshOnesAreForgotten() {
        NonceCounts counts = new NonceCounts(3);
        assertTrue(counts.accept("stale", 10, 1, LONG_AGO));
        assertTrue(counts.accept("fresh", 50, 1, LONG_AGO));
        assertTrue(counts.accept("newer", 60, 1, 40));
        assertTrue(counts.accept("late", 45, 1, 40), "the table is full: the stale nonce goes");
        assertEquals(3, counts.size());
        assertFalse(counts.accept("fresh", 50, 1, 40), "fresh is still kept: its count 1 is a replay");
        assertTrue(counts.accept("fresh", 50, 2, 40));
    }
}
