package gateway.recorder;

import java.util.concurrent.atomic.AtomicLong;

/** Service-wide counts of what went wrong, for the metrics. Thread-safe; event loops add only when audio is lost. */
final class RecorderCounters {

    final AtomicLong lostSamples = new AtomicLong();
    final AtomicLong droppedWrites = new AtomicLong();
    final AtomicLong writeFailures = new AtomicLong();
    final AtomicLong incomplete = new AtomicLong();
    final AtomicLong recovered = new AtomicLong();

    /** An event loop lost {@code samples} of one write because its call's buffer was full. */
    void lost(int samples) {
        lostSamples.addAndGet(samples);
        droppedWrites.incrementAndGet();
    }

    /** A call's files had their first I/O error. */
    void writeFailure() {
        writeFailures.incrementAndGet();
    }
}
