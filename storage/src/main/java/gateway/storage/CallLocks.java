package gateway.storage;

import gateway.library.CallId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the changes to one call: an upload (which rewrites call.json, writes storage.json and may remove the
 * local audio) and a delete never interleave, so a deleted call cannot be half re-uploaded. Striped: calls that
 * share a stripe also wait for each other, which is harmless at these rates.
 */
final class CallLocks {

    /** Enough stripes that two deletes rarely wait for an unrelated upload. */
    static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    CallLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock of {@code id}; lock and unlock it in a try/finally. */
    ReentrantLock of(CallId id) {
        return locks[Math.floorMod(id.value().hashCode(), STRIPES)];
    }
}
