package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** Always draws the lowest value: the shortest wait the jitter allows. */
    private static final RandomGenerator LOWEST = () -> 0L;

    @Test
    void theCeilingDoublesFromTheMinimumUpToTheMaximum() {
        Backoff b = new Backoff(1000, 300_000, LOWEST);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16_000L, 32_000L, 64_000L, 128_000L, 256_000L, 300_000L,
                300_000L), List.of(b.ceiling(1), b.ceiling(2), b.ceiling(3), b.ceiling(4), b.ceiling(5),
                b.ceiling(6), b.ceiling(7), b.ceiling(8), b.ceiling(9), b.ceiling(10), b.ceiling(11)));
        assertEquals(300_000L, b.ceiling(1_000_000), "no overflow after a month of failures");
    }

    @Test
    void eachWaitLiesBetweenHalfAndAllOfItsCeilingAndASuccessStartsOver() {
        Backoff lowest = new Backoff(1000, 8000, LOWEST);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 4000L), List.of(lowest.failed(), lowest.failed(),
                lowest.failed(), lowest.failed(), lowest.failed()));
        assertEquals(5, lowest.failures());
        lowest.succeeded();
        assertEquals(0, lowest.failures());
        assertEquals(500L, lowest.failed());

        RandomGenerator highest = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        Backoff top = new Backoff(1000, 8000, highest);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 8000L), List.of(top.failed(), top.failed(), top.failed(),
                top.failed(), top.failed()));
    }

    @Test
    void aMinimumAboveTheMaximumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(2000, 1000, LOWEST));
    }
}
