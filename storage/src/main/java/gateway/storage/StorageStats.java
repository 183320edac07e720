package gateway.storage;

import java.util.concurrent.atomic.AtomicLong;

/** Counters for /metrics. Threading: written by the uploader, read by any thread. */
public final class StorageStats {

    final AtomicLong pending = new AtomicLong();
    final AtomicLong uploadedCalls = new AtomicLong();
    final AtomicLong uploadedBytes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    /** Finished calls not yet in storage. */
    public long pending() {
        return pending.get();
    }

    /** Calls uploaded since start. */
    public long uploadedCalls() {
        return uploadedCalls.get();
    }

    /** Bytes uploaded since start. */
    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** Failed upload attempts since start. */
    public long failures() {
        return failures.get();
    }
}
