package gateway.transport;

/**
 * The Java 21 build of the {@code SCHED_FIFO} request: it has no foreign function API, so it refuses. A Java 22+
 * runtime loads the class of the same name under {@code META-INF/versions/22} instead (multi-release jar).
 */
final class SchedFifo {

    private SchedFifo() {
    }

    static RealtimeScheduling.Outcome request(int priority) {
        return new RealtimeScheduling.Outcome(false,
                "needs a Java 22 or newer runtime; this is Java " + Runtime.version().feature());
    }
}
