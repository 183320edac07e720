package gateway.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition another thread or process makes true, such as a file renamed into place, checking it every
 * few milliseconds and failing with what was seen once a deadline passes. The deadline only bounds a failing test;
 * a passing one goes on as soon as the condition holds. Prefer a future or latch where the code under test has one.
 */
public final class Await {

    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after {@code timeout} with {@code seen}'s description. */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> seen)
            throws InterruptedException {
        until(condition::getAsBoolean, done -> done, timeout, done -> seen.get());
    }

    /**
     * Returns the first value of {@code probe} that is {@code done}; fails after {@code timeout} with the last value
     * as {@code describe} puts it.
     */
    public static <T> T until(Supplier<T> probe, Predicate<? super T> done, Duration timeout,
            Function<? super T, String> describe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + describe.apply(value));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
