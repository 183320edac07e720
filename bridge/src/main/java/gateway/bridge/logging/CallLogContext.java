package gateway.bridge.logging;

/**
 * The call a thread is working for, so that every log line written meanwhile carries the call's id and SIP Call-ID
 * ({@link TextLineLayout}, {@link JsonLineLayout}). An event loop runs many calls' tasks on one thread, so the ids
 * are set around each task ({@link #enter}, {@link #exit}) rather than once per thread; doing so allocates nothing,
 * which keeps the per-packet audio path free of garbage. Appenders must be synchronous (the layout reads the ids on
 * the logging thread). Threading: each thread sees its own ids.
 */
public final class CallLogContext {

    /** A call's ids as logged: ours and the SIP Call-ID of its dialog. */
    public record Ids(String callId, String sipCallId) {
    }

    private static final ThreadLocal<Ids> CURRENT = new ThreadLocal<>();

    private CallLogContext() {
    }

    /** The ids of the call this thread works for now, or null. */
    public static Ids current() {
        return CURRENT.get();
    }

    /** Marks this thread as working for {@code ids} (null: for no call); returns the ids to restore with exit. */
    public static Ids enter(Ids ids) {
        Ids previous = CURRENT.get();
        CURRENT.set(ids);
        return previous;
    }

    /** Restores what {@link #enter} returned. */
    public static void exit(Ids previous) {
        CURRENT.set(previous);
    }

    /** Runs {@code task} with {@code ids} set, restoring what was set before. */
    public static void run(Ids ids, Runnable task) {
        Ids previous = enter(ids);
        try {
            task.run();
        } finally {
            exit(previous);
        }
    }
}
