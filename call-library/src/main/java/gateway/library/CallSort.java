package gateway.library;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The orders of the call list: newest first, or worst first by one figure (ties newest first). Calls without
 * analytics (recorded before them) come last when the figure is one of the analytics'.
 */
public enum CallSort {
    NEWEST(call -> call.startedAt().toEpochMilli()),
    P95_LATENCY(call -> call.analytics() == null ? -1 : call.analytics().latencyP95Ms()),
    DEAD_AIR(call -> call.analytics() == null ? -1 : call.analytics().longestDeadAirMs()),
    TALK_OVER(call -> call.analytics() == null ? -1 : call.analytics().talkOverMs()),
    DURATION(IndexedCall::durationMs);

    private final ToLongFunction<IndexedCall> key;

    CallSort(ToLongFunction<IndexedCall> key) {
        this.key = key;
    }

    /** The figure {@code call} is sorted by. */
    public long key(IndexedCall call) {
        return key.applyAsLong(call);
    }

    /** Where a call with figure {@code keyA} at {@code a} goes relative to one with {@code keyB} at {@code b}. */
    static int compare(long keyA, ListPosition a, long keyB, ListPosition b) {
        int byKey = Long.compare(keyB, keyA);
        return byKey != 0 ? byKey : ListPosition.NEWEST_FIRST.compare(a, b);
    }

    /** The list order of calls. */
    Comparator<IndexedCall> order() {
        return (a, b) -> compare(key(a), a.position(), key(b), b.position());
    }

    /** The lower-case name the API uses. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The order named {@code name}, as the API spells it. */
    public static Optional<CallSort> fromJsonName(String name) {
        for (CallSort s : values()) {
            if (s.jsonName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
