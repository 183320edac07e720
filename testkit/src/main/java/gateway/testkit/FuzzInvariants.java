package gateway.testkit;

import io.netty.util.ReferenceCounted;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The checks every fuzz test makes after one input: no throwable was logged by the code under test (a handler's last
 * resort or a caught-and-logged failure is a finding too), and every buffer handed in was released.
 */
public final class FuzzInvariants {

    /**
     * How long {@code scripts/fuzz.sh} fuzzes each target (JAZZER_FUZZ set): every @FuzzTest's maxDuration. Jazzer
     * 0.24 takes the duration only from the annotation, so this is the one place to change it.
     */
    public static final String FUZZ_DURATION = "2m";

    private FuzzInvariants() {
    }

    /** Fails with the first line of {@code log} that carries a throwable not of an {@code allowed} type. */
    public static void nothingThrown(LogCapture log, Class<?>... allowed) {
        nothingThrownBut(log, thrown -> Arrays.stream(allowed).anyMatch(type -> type.isInstance(thrown)));
    }

    /** Fails with the first line of {@code log} that carries a throwable {@code expected} does not accept. */
    public static void nothingThrownBut(LogCapture log, Predicate<Throwable> expected) {
        for (LogCapture.Line line : log.lines()) {
            Throwable thrown = line.thrown();
            if (thrown != null && !expected.test(thrown)) {
                throw new AssertionError("logged with a throwable by " + line.logger() + ": " + line, thrown);
            }
        }
    }

    /** Fails unless every one of {@code buffers} has been released. */
    public static void released(Iterable<? extends ReferenceCounted> buffers) {
        for (ReferenceCounted buffer : buffers) {
            if (buffer.refCnt() != 0) {
                throw new AssertionError("not released (refCnt " + buffer.refCnt() + "): " + buffer);
            }
        }
    }
}
