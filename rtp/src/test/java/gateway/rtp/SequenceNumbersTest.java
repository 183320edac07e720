package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {

    @Test
    void differenceIsWrapAroundSafe() {
        assertEquals(1, SequenceNumbers.difference(0, 65535));
        assertEquals(-1, SequenceNumbers.difference(65535, 0));
        assertEquals(3, SequenceNumbers.difference(1, 65534));
        assertEquals(0, SequenceNumbers.difference(7, 7));
        assertEquals(100, SequenceNumbers.difference(50, 65486));
        assertEquals(32767, SequenceNumbers.difference(32767, 0));
        assertEquals(-32768, SequenceNumbers.difference(32768, 0));
    }

    @Test
    void ordersAcrossTheWrap() {
        assertTrue(SequenceNumbers.isNewer(0, 65535));
        assertFalse(SequenceNumbers.isNewer(65535, 0));
        assertEquals(-1, SequenceNumbers.compare(65530, 4));
        assertEquals(1, SequenceNumbers.compare(4, 65530));
        assertEquals(0, SequenceNumbers.compare(4, 4));
        assertEquals(0, SequenceNumbers.next(65535));
        assertEquals(1, SequenceNumbers.next(0));
    }

    @Test
    void extendsAcrossTheRolloverInBothDirections() {
        long reference = 3L * SequenceNumbers.MODULUS + 65534;          // cycle 3, sequence 65534
        assertEquals(reference + 1, SequenceNumbers.extend(65535, reference));
        assertEquals(reference + 2, SequenceNumbers.extend(0, reference)); // rolled over into cycle 4
        assertEquals(reference + 7, SequenceNumbers.extend(5, reference));
        assertEquals(reference - 4, SequenceNumbers.extend(65530, reference)); // a late one of cycle 3
        long afterWrap = 4L * SequenceNumbers.MODULUS + 2;              // cycle 4, sequence 2
        assertEquals(afterWrap - 3, SequenceNumbers.extend(65535, afterWrap)); // late, from before the wrap
        assertEquals(afterWrap + 32767, SequenceNumbers.extend(32769, afterWrap));
    }
}
