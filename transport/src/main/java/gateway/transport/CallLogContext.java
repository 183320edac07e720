package gateway.transport;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The call a thread is working for, so that every log line written meanwhile carries the call's id and SIP Call-ID
 * (the log layouts read it). An event loop runs many calls' tasks on one thread, so the ids are set around each task
 * ({@link #enter}, {@link #exit}) rather than once per thread; doing so allocates nothing, which keeps the per-packet
 * audio path free of garbage. It lives here, below the SIP, RTP and Realtime modules, so that each can set it where
 * its own work for a call starts (the SIP core around a message and its timers, a Realtime socket around its inbound
 * events) without knowing the call core. Appenders must be synchronous (the layout reads the ids on the logging
 * thread). Threading: each thread sees its own ids. They are a {@link FastThreadLocal}, an array slot on Netty's
 * threads: the media loops set them around every packet and tick, where a {@code ThreadLocal}'s hash lookup took
 * about 3 % of the loops' samples.
 */
public final class CallLogContext {

    /** A call's ids as logged: ours (null where only the SIP layer knows the call) and its dialog's SIP Call-ID. */
    public record Ids(String callId, String sipCallId) {
    }

    private static final FastThreadLocal<Ids> CURRENT = new FastThreadLocal<>();

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
