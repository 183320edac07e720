package gateway.library;

import java.util.Comparator;

/**
 * A place in the call list, which runs newest first: by start time (epoch ms), then by id, both descending. A
 * cursor is such a position, so a page follows the last call of the page before even when calls are added.
 */
public record ListPosition(long startedAtMs, String id) {

    /** Newest first; ties broken by id, descending. */
    static final Comparator<ListPosition> NEWEST_FIRST = Comparator
            .comparingLong(ListPosition::startedAtMs).reversed()
            .thenComparing(ListPosition::id, Comparator.reverseOrder());
    /**
     * As an id, sorts before every call of the same millisecond in {@link #NEWEST_FIRST}
     * ('~' is above every id character).
     */
    static final String BEFORE_ALL_IDS = "~";
}
