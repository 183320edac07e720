package gateway.library;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where finished calls are kept and read from: local disk today ({@link LocalCallStore}), object storage later. The
 * API and the index see calls only through this, so they serve either the same way.
 *
 * <p>Threading: any thread; every method may block on I/O, so none is called on an event loop.
 */
public interface CallStore {

    /** The ids of all stored calls, finished or not, in no particular order. */
    List<CallId> ids() throws IOException;

    CallStatus status(CallId id) throws IOException;

    /** Opens one file of a call; empty when the call or that file does not exist. */
    Optional<StoredFile> open(CallId id, CallFile file) throws IOException;

    /** Removes a finished call and all its files; a call still in progress is left alone. */
    DeleteOutcome delete(CallId id) throws IOException;

    /**
     * Writes {@code content} as one {@link CallFile#writable() writable} file of a finished call (replacing an earlier
     * one), e.g. its {@link CallFile#LEGAL_HOLD legal hold}, or removes that file when {@code content} is null.
     * Returns the call's status: only a {@link CallStatus#FINISHED} call is changed.
     *
     * @throws IllegalArgumentException for a file the recorder writes (audio, call.json, captions)
     */
    CallStatus write(CallId id, CallFile file, byte[] content) throws IOException;

    /**
     * Replaces the call.json of a finished call with {@code content}, atomically: the same document with more in it
     * (analytics measured after the call, {@link AnalyticsBackfill}), never a different call. Returns false and
     * changes nothing when the call is not finished or this store does not rewrite it (a call only a shared bucket
     * holds belongs to the instance that recorded it); a store that rewrites nothing need not implement it.
     */
    default boolean rewriteCallJson(CallId id, byte[] content) throws IOException {
        return false;
    }

    /** What a delete did; a call under legal hold is {@link #HELD} and left alone. */
    enum DeleteOutcome { DELETED, ABSENT, IN_PROGRESS, HELD }
}
