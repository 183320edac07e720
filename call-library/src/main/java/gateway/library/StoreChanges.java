package gateway.library;

import java.util.List;

/**
 * What a listing of a shared store found that this library did not write itself: calls another instance stored
 * (new, or with a changed call.json), their legal holds, and calls gone from the store. {@link CallLibrary#apply}
 * takes it into the index.
 *
 * @param after the library's {@link CallLibrary#changeCount() change count} before the listing began: a call this
 *              library changed since (deleted, held) is left as the library has it, because the listing may predate
 *              the change
 * @param found calls whose call.json is new or changed, or whose hold is as the listing shows
 * @param gone  calls the listing no longer holds
 */
public record StoreChanges(long after, List<Found> found, List<CallId> gone) {

    public StoreChanges {
        found = List.copyOf(found);
        gone = List.copyOf(gone);
    }

    /**
     * One call as the listing shows it.
     *
     * @param callJson its call.json when new or changed; null when only {@code held} is news
     * @param held     whether it has a {@link CallFile#LEGAL_HOLD legal hold} file
     */
    public record Found(CallId id, byte[] callJson, boolean held) {
    }
}
