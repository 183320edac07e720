package gateway.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The real local store, whose listing of ids waits for a gate: the index build stays in progress until it opens.
 * Shared with the QA API's tests through this module's test jar.
 */
public final class GatedStore implements CallStore {

    private final LocalCallStore local;
    private final CountDownLatch gate;

    public GatedStore(Path root, CountDownLatch gate) {
        this.local = new LocalCallStore(root);
        this.gate = gate;
    }

    @Override
    public List<CallId> ids() throws IOException {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return local.ids();
    }

    @Override
    public CallStatus status(CallId id) throws IOException {
        return local.status(id);
    }

    @Override
    public Optional<StoredFile> open(CallId id, CallFile file) throws IOException {
        return local.open(id, file);
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
