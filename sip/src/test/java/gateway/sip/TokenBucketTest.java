package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import org.junit.jupiter.api.Test;

/** Token buckets on the manual clock: the burst at once, then the rate, and nothing saved up beyond the burst. */
class TokenBucketTest {

    private final ManualScheduler clock = new ManualScheduler();

    @Test
    void theBurstGoesAtOnceThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 3));
        assertEquals(3, takeAll(bucket));
        clock.advanceMillis(99);
        assertFalse(bucket.take(clock.nanoTime()));
        clock.advanceMillis(1);
        assertTrue(bucket.take(clock.nanoTime()), "one token 100 ms later");
        assertFalse(bucket.take(clock.nanoTime()));
        clock.advanceMillis(10_000);
        assertEquals(3, takeAll(bucket), "an idle bucket holds its burst, no more");
    }

    @Test
    void aFractionalRateCountsPerMinute() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10 / 60.0, 2));
        assertEquals(2, takeAll(bucket));
        clock.advanceMillis(5_999);
        assertFalse(bucket.available(clock.nanoTime()));
        clock.advanceMillis(1);
        assertTrue(bucket.available(clock.nanoTime()), "10 a minute: one every 6 s");
        assertTrue(bucket.available(clock.nanoTime()), "looking takes nothing");
        assertEquals(1, takeAll(bucket));
    }

    @Test
    void aFloodAtAnyRateGetsTheRateThrough() {
        TokenBucket bucket = new TokenBucket(new RateLimit(50, 100));
        int taken = 0;
        for (int i = 0; i <= 20_000 * 10; i++) {
            if (bucket.take(clock.nanoTime())) {
                taken++;
            }
            clock.advanceNanos(50_000);
        }
        assertEquals(100 + 50 * 10, taken, "20,000 a second for 10 s: the burst and 50 a second");
    }

    @Test
    void limitsMustMakeSense() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0));
    }

    private int takeAll(TokenBucket bucket) {
        int taken = 0;
        while (bucket.take(clock.nanoTime())) {
            taken++;
        }
        return taken;
    }
}
