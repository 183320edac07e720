package gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A thread's scheduling class as the kernel reports it in {@code /proc} (proc(5)), and whether this process may take
 * {@code SCHED_FIFO} at all (sched_setscheduler(2)), so a test of real-time scheduling can say exactly what the kernel
 * must answer on whatever machine runs it.
 */
public final class ThreadScheduling {

    /** {@code SCHED_OTHER} and {@code SCHED_FIFO} in {@code <linux/sched.h>}. */
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    /** {@code CAP_SYS_NICE} in {@code <linux/capability.h>}. */
    private static final int CAP_SYS_NICE = 23;

    /** Fields 41 (policy) and 40 (rt_priority) of a thread's stat. */
    public record Policy(int policy, int rtPriority) {
        public static final Policy NORMAL = new Policy(SCHED_OTHER, 0);

        public static Policy fifo(int priority) {
            return new Policy(SCHED_FIFO, priority);
        }
    }

    /** A thread of this process: its name ({@code comm}, at most 15 characters) and its policy. */
    public record Task(String name, Policy policy) {
    }

    private ThreadScheduling() {
    }

    /** The calling thread's policy. */
    public static Policy ofCurrentThread() {
        return read(Path.of("/proc/thread-self/stat"));
    }

    /** Every thread of this process whose name starts with {@code prefix}. */
    public static List<Task> tasksNamed(String prefix) {
        List<Task> tasks = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc/self/task"))) {
            for (Path dir : dirs.toList()) {
                String name = Files.readString(dir.resolve("comm")).strip();
                if (name.startsWith(prefix)) {
                    tasks.add(new Task(name, read(dir.resolve("stat"))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }

    /**
     * Whether the kernel must grant {@code SCHED_FIFO} at {@code priority} to a thread of this process that asks
     * through the gateway: Linux, a Java 22+ runtime (the gateway's native call), and {@code CAP_SYS_NICE} or an
     * {@code RLIMIT_RTPRIO} of at least {@code priority}.
     */
    public static boolean mayTakeFifo(int priority) {
        if (Runtime.version().feature() < 22 || !System.getProperty("os.name").startsWith("Linux")) {
            return false;
        }
        try {
            String capEff = field(Path.of("/proc/self/status"), "CapEff:");
            if (new BigInteger(capEff, 16).testBit(CAP_SYS_NICE)) {
                return true;
            }
            String soft = field(Path.of("/proc/self/limits"), "Max realtime priority").split("\\s+")[0];
            return soft.equals("unlimited") || Integer.parseInt(soft) >= priority;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(Path file, String label) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(label)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + label + " in " + file))
                .substring(label.length()).strip();
    }

    private static Policy read(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" "); // fields from 3 (state) on
            return new Policy(Integer.parseInt(fields[41 - 3]), Integer.parseInt(fields[40 - 3]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
