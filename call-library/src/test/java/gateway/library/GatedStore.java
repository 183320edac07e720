package gateway.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The real local store, whose listing of ids waits for a gate: the index build stays in progress until it opens.
 * Reads of a call.json can be held too ({@link #holdCallJsonReads}), to look at the index while it re-reads a call.
 * Shared with the QA API's tests through this module's test jar.
 */
public final class GatedStore implements CallStore {

    private final LocalCallStore local;
    private final CountDownLatch gate;
    private volatile CountDownLatch callJsonGate;
    private volatile CountDownLatch callJsonReading;

    public GatedStore(Path root, CountDownLatch gate) {
        this.local = new LocalCallStore(root);
        this.gate = gate;
    }

    @Override
    public List<CallId> ids() throws IOException {
        await(gate);
        return local.ids();
    }

    @Override
    public CallStatus status(CallId id) throws IOException {
        return local.status(id);
    }

    /** From now on each read of a call.json counts {@code reading} down, then waits until {@code gate} opens. */
    public void holdCallJsonReads(CountDownLatch gate, CountDownLatch reading) {
        this.callJsonReading = reading;
        this.callJsonGate = gate;
    }

    @Override
    public Optional<StoredFile> open(CallId id, CallFile file) throws IOException {
        CountDownLatch held = callJsonGate;
        if (held != null && file == CallFile.CALL_JSON) {
            callJsonReading.countDown();
            await(held);
        }
        return local.open(id, file);
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public CallStatus write(CallId id, CallFile file, byte[] content) throws IOException {
        return local.write(id, file, content);
    }

    @Override
    public boolean rewriteCallJson(CallId id, byte[] content) throws IOException {
        return local.rewriteCallJson(id, content);
    }

    @Override
    public DeleteOutcome delete(CallId id) throws IOException {
        return local.delete(id);
    }
}
