package gateway.time;

/** A monotonic source of nanoseconds, injected so timers and media positions can be tested without sleeping. */
@FunctionalInterface
public interface Clock {

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The system's monotonic clock. */
    static Clock system() {
        return System::nanoTime;
    }
}
