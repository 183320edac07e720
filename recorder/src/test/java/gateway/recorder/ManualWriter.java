package gateway.recorder;

import gateway.testkit.Await;
import gateway.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual clock for a recording service's writer: the writer drains its calls only when the test moves the clock
 * a pass period on, so between two {@link #pass()}es it is stalled, exactly as long as the test wants.
 */
final class ManualWriter {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final AtomicLong now = new AtomicLong();
    private final AtomicInteger passes = new AtomicInteger();
    private final AtomicInteger syncs = new AtomicInteger();
    private final Runnable beforePass;

    ManualWriter() {
        this(() -> { });
    }

    /** With {@code beforePass} run by the writer before each pass (a test can block it there). */
    ManualWriter(Runnable beforePass) {
        this.beforePass = beforePass;
    }

    Clock clock() {
        return now::get;
    }

    WriterHooks hooks() {
        return new WriterHooks(beforePass, passes::incrementAndGet, syncs::incrementAndGet);
    }

    /** A service on {@code dir} driven by this clock, with the default window. */
    RecordingService service(java.nio.file.Path dir, RecorderSettings settings) {
        return service(dir, settings, FileOpener.DEFAULT);
    }

    RecordingService service(java.nio.file.Path dir, RecorderSettings settings, FileOpener opener) {
        return new RecordingService(dir, settings, RecordingService.DEFAULT_WINDOW_FRAMES, clock(), opener, hooks());
    }

    /** Moves the clock one pass period on and waits until the writer has drained every call. */
    void pass() throws InterruptedException {
        int before = passes.get();
        now.addAndGet(RecorderWriter.PASS_NANOS);
        Await.until(() -> passes.get() > before, TIMEOUT, () -> "no writer pass after the clock moved on");
    }

    /** Moves the clock a header period on (so a pass runs too) and waits until the headers are rewritten. */
    void sync() throws InterruptedException {
        int before = syncs.get();
        now.addAndGet(RecorderWriter.HEADER_SYNC_NANOS);
        Await.until(() -> syncs.get() > before, TIMEOUT, () -> "no header rewrite after the clock moved on");
    }

    int passes() {
        return passes.get();
    }
}
