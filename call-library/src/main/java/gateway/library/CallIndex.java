package gateway.library;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory index of finished calls: their summaries in newest-first order and, per call, the set of the
 * distinct words of its transcript ({@link WordSet}). A query walks the calls from its starting point (the cursor
 * or {@code until}) and stops at {@code since} or once the page is full.
 *
 * <p>Threading: {@link #put} and {@link #remove} are called by one thread at a time (the library's index thread);
 * {@link #query} and {@link #size} by any thread at the same time, without locks: a query sees each call either
 * before or after a concurrent change.
 */
final class CallIndex {

    /** One indexed call, its From and To in lower case for substring filters, and its words. */
    private record Entry(IndexedCall call, String fromLower, String toLower, WordSet words) {
    }

    /** Most distinct values kept by {@link #intern}: enough for every To, codec and end reason a gateway sees. */
    static final int MAX_INTERNED = 4096;

    private final ConcurrentSkipListMap<ListPosition, Entry> byPosition =
            new ConcurrentSkipListMap<>(ListPosition.NEWEST_FIRST);
    private final Map<String, ListPosition> positions = new ConcurrentHashMap<>();
    private final Vocabulary vocabulary = new Vocabulary();
    /** Index thread only: one copy of the values most calls share (To, codec, end reason). */
    private final Map<String, String> interned = new java.util.HashMap<>();

    /** Adds a call, or replaces the one with the same id. */
    void put(CallDocument document) {
        IndexedCall c = document.call();
        IndexedCall call = new IndexedCall(c.id(), c.sipCallId(), c.from(), intern(c.to()), c.startedAt(),
                c.endedAt(), c.durationMs(), intern(c.codec()), intern(c.endReason()), c.turnCount(), c.holdCount(),
                c.sessionCount(), c.complete(), c.excerpt(), c.analytics(), intern(c.profile()),
                c.answered(), c.review(), c.replayOf());
        ListPosition position = call.position();
        Entry entry = new Entry(call, lower(call.from()), intern(lower(call.to())), wordIds(document.turnTexts()));
        ListPosition old = positions.put(call.id(), position);
        byPosition.put(position, entry);
        if (old != null && !old.equals(position)) {
            byPosition.remove(old);
        }
    }

    /** Sets the review summary of an indexed call (null: none); returns whether the call is indexed. */
    boolean review(String id, ReviewSummary summary) {
        ListPosition position = positions.get(id);
        if (position == null) {
            return false;
        }
        Entry entry = byPosition.get(position);
        if (entry == null) {
            return false;
        }
        byPosition.put(position, new Entry(entry.call().withReview(summary), entry.fromLower(), entry.toLower(),
                entry.words()));
        return true;
    }

    /** Removes a call; returns whether it was there. */
    boolean remove(String id) {
        ListPosition position = positions.remove(id);
        return position != null && byPosition.remove(position) != null;
    }

    boolean contains(String id) {
        return positions.containsKey(id);
    }

    int size() {
        return positions.size();
    }

    /** Distinct words seen across all indexed transcripts (also of calls removed since). */
    int vocabularySize() {
        return vocabulary.size();
    }

    /** The page of calls matching {@code query}, newest first. */
    CallPage query(CallQuery query) {
        int[] wanted = new int[query.words().size()];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = vocabulary.idOf(query.words().get(i));
            if (wanted[i] < 0) {
                return new CallPage(List.of(), null);
            }
        }
        wanted = Arrays.stream(wanted).sorted().distinct().toArray();
        String from = lower(query.from());
        String to = lower(query.to());
        long sinceMs = query.since() == null ? Long.MIN_VALUE : query.since().toEpochMilli();
        if (query.sort() != CallSort.NEWEST) {
            return sorted(query, from, to, wanted, sinceMs);
        }
        List<IndexedCall> page = new ArrayList<>(Math.min(query.limit(), 1024));
        for (Entry entry : range(query.after(), query.until()).values()) {
            IndexedCall call = entry.call();
            if (call.startedAt().toEpochMilli() < sinceMs) {
                break;
            }
            if (!matches(entry, query, from, to, wanted)) {
                continue;
            }
            if (page.size() == query.limit()) {
                return new CallPage(page, page.get(page.size() - 1).position());
            }
            page.add(call);
        }
        return new CallPage(page, null);
    }

    /**
     * A page in an order other than newest first: every matching call in the span is gathered and sorted, and the
     * page starts after the cursor's figure and position.
     */
    private CallPage sorted(CallQuery query, String from, String to, int[] wanted, long sinceMs) {
        List<IndexedCall> matching = new ArrayList<>();
        for (Entry entry : range(null, query.until()).values()) {
            if (entry.call().startedAt().toEpochMilli() < sinceMs) {
                break;
            }
            if (matches(entry, query, from, to, wanted)) {
                matching.add(entry.call());
            }
        }
        CallSort sort = query.sort();
        matching.sort(sort.order());
        int start = 0;
        if (query.after() != null) {
            while (start < matching.size() && CallSort.compare(sort.key(matching.get(start)),
                    matching.get(start).position(), query.afterKey(), query.after()) <= 0) {
                start++;
            }
        }
        int end = Math.min(matching.size(), start + query.limit());
        List<IndexedCall> page = matching.subList(start, end);
        return new CallPage(page, end < matching.size() ? page.get(page.size() - 1).position() : null);
    }

    /** The figures of the calls {@code query} covers, per bucket; walks only those calls. */
    CallStats stats(StatsQuery query) {
        List<StatsAccumulator> buckets = StatsAccumulator.span(query);
        long first = buckets.get(0).start().toEpochMilli();
        long width = query.bucket().width().toMillis();
        long sinceMs = query.since().toEpochMilli();
        for (Entry entry : range(null, query.until()).values()) {
            IndexedCall call = entry.call();
            long startedMs = call.startedAt().toEpochMilli();
            if (startedMs < sinceMs) {
                break;
            }
            if (query.profile() == null || query.profile().equals(call.profile())) {
                buckets.get((int) ((startedMs - first) / width)).add(call);
            }
        }
        return new CallStats(query, buckets.stream().map(StatsAccumulator::result).toList());
    }

    /** The calls after the cursor and started before {@code until}: from whichever bound is further down the list. */
    private NavigableMap<ListPosition, Entry> range(ListPosition after, Instant until) {
        if (until == null) {
            return after == null ? byPosition : byPosition.tailMap(after, false);
        }
        // Sorts after every call started at until and before every call started a millisecond earlier.
        ListPosition untilBound = new ListPosition(until.toEpochMilli() - 1, ListPosition.BEFORE_ALL_IDS);
        if (after == null || ListPosition.NEWEST_FIRST.compare(after, untilBound) < 0) {
            return byPosition.tailMap(untilBound, true);
        }
        return byPosition.tailMap(after, false);
    }

    private static boolean matches(Entry entry, CallQuery query, String from, String to, int[] wanted) {
        IndexedCall call = entry.call();
        if (call.durationMs() < query.minDurationMs()) {
            return false;
        }
        if (query.endReason() != null && !query.endReason().equals(call.endReason())) {
            return false;
        }
        if (query.profile() != null && !query.profile().equals(call.profile())) {
            return false;
        }
        if (query.replayOf() != null && !query.replayOf().equals(call.replayOf())) {
            return false;
        }
        if (query.analytics() != null && !query.analytics().matches(call.analytics())) {
            return false;
        }
        if (query.review() != null && !query.review().matches(call.review())) {
            return false;
        }
        if (!contains(entry.fromLower(), from) || !contains(entry.toLower(), to)) {
            return false;
        }
        return wanted.length == 0 || entry.words().containsAll(wanted);
    }

    /** True when {@code needle} is null or empty, or occurs in {@code text}. */
    private static boolean contains(String text, String needle) {
        return needle == null || needle.isEmpty() || (text != null && text.contains(needle));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private String intern(String value) {
        if (value == null) {
            return null;
        }
        String known = interned.get(value);
        if (known != null) {
            return known;
        }
        if (interned.size() < MAX_INTERNED) {
            interned.put(value, value);
        }
        return value;
    }

    private WordSet wordIds(List<String> texts) {
        IdCollector ids = new IdCollector();
        for (String text : texts) {
            Words.forEach(text, word -> ids.add(vocabulary.add(word)));
        }
        return ids.toSet();
    }

    /** Gathers the word ids of one call before they become its {@link WordSet}. */
    private static final class IdCollector {
        private int[] ids = new int[256];
        private int n;

        void add(int id) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = id;
        }

        WordSet toSet() {
            return n == 0 ? WordSet.EMPTY : WordSet.of(ids, n);
        }
    }
}
