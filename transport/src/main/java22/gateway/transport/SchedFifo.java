package gateway.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * {@code sched_setscheduler(0, SCHED_FIFO, &param)} for the calling thread through the foreign function API (Java
 * 22+; this is the multi-release jar's version of the class). On Linux, pid 0 means the calling thread, not the
 * process (sched_setscheduler(2), NOTES).
 */
final class SchedFifo {

    /** {@code SCHED_FIFO} in {@code <linux/sched.h>}. */
    private static final int SCHED_FIFO = 1;
    /** {@code EPERM} in {@code <asm-generic/errno-base.h>}. */
    private static final int EPERM = 1;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** {@code int sched_setscheduler(pid_t, int, const struct sched_param *)}, empty off Linux. */
    private static final Optional<MethodHandle> SET_SCHEDULER = lookUp();

    private SchedFifo() {
    }

    @SuppressWarnings("restricted") // a native call, made only for this one libc function
    private static Optional<MethodHandle> lookUp() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("sched_setscheduler").map(address -> linker.downcallHandle(address,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS),
                Linker.Option.captureCallState("errno")));
    }

    static RealtimeScheduling.Outcome request(int priority) {
        if (SET_SCHEDULER.isEmpty()) {
            return new RealtimeScheduling.Outcome(false, "sched_setscheduler is Linux only");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority; }
            param.set(ValueLayout.JAVA_INT, 0, priority);
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) SET_SCHEDULER.get().invokeExact(state, 0, SCHED_FIFO, param);
            if (result == 0) {
                return new RealtimeScheduling.Outcome(true, "SCHED_FIFO " + priority);
            }
            int errno = (int) ERRNO.get(state, 0L);
            return new RealtimeScheduling.Outcome(false, errno == EPERM
                    ? "not permitted: the process needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least " + priority
                    : "sched_setscheduler failed with errno " + errno);
        } catch (Throwable e) {
            return new RealtimeScheduling.Outcome(false, "sched_setscheduler could not be called: " + e);
        }
    }
}
