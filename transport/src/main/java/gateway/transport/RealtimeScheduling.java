package gateway.transport;

import java.lang.System.Logger.Level;

/**
 * POSIX real-time scheduling ({@code SCHED_FIFO}, sched(7)) for the calling thread. A runnable thread of that class
 * runs before every normal thread on its CPU, and the kernel moves it to a CPU that runs none, so a media loop's
 * pacer tick does not wait behind a compiler thread, the recorder's writer, the other media loop or another
 * process. Granted only on Linux, on a Java 22 or newer runtime (the call goes through the foreign function API,
 * see {@code SchedFifo}), and to a process with {@code CAP_SYS_NICE} or an {@code RLIMIT_RTPRIO} of at least the
 * priority asked for (sched_setscheduler(2)); anything else is refused with the reason, and the thread keeps its
 * normal scheduling. The kernel keeps 5 % of every second for normal threads ({@code sched_rt_runtime_us}), so a
 * looping real-time thread cannot take a whole box.
 */
public final class RealtimeScheduling {

    private static final System.Logger LOG = System.getLogger(RealtimeScheduling.class.getName());

    /** The priorities sched_setscheduler(2) accepts for {@code SCHED_FIFO} on Linux. */
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 99;

    private RealtimeScheduling() {
    }

    /** What the OS answered: granted, or refused with a reason a person can act on. */
    public record Outcome(boolean granted, String detail) {
    }

    /**
     * Asks for {@code SCHED_FIFO} at {@code priority} (1-99) for the calling thread and logs the answer under the
     * thread's name; never throws for a refusal.
     */
    public static Outcome requestForCurrentThread(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("SCHED_FIFO priority must be 1-99: " + priority);
        }
        Outcome outcome = SchedFifo.request(priority);
        String thread = Thread.currentThread().getName();
        if (outcome.granted()) {
            LOG.log(Level.INFO, "{0} runs under SCHED_FIFO priority {1}", thread, priority);
        } else {
            LOG.log(Level.INFO, "{0} runs at normal priority: SCHED_FIFO {1} refused ({2})", thread, priority,
                    outcome.detail());
        }
        return outcome;
    }
}
