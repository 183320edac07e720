package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The list's filters on the conversation analytics and the routing profile, over an index of calls whose analytics
 * are known: each filter keeps exactly the calls that show that much, and calls without analytics match none.
 */
class CallQueryFiltersTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final CallIndex index = new CallIndex();

    private void call(String id, String profile, CallAnalytics analytics) {
        index.put(new CallDocument(new IndexedCall(id, id, "sip:a@x", "sip:b@y", T0.plusSeconds(index.size()), null,
                1000, "PCMU", "caller_bye", 0, 0, 1, true, "", analytics, profile), List.of()));
    }

    private List<String> ids(CallQuery.AnalyticsFilter filter, String profile) {
        return index.query(new CallQuery(null, null, null, null, 0, null, List.of(), 50, null, filter, profile))
                .calls().stream().map(IndexedCall::id).toList();
    }

    @Test
    void analyticsAndProfileFiltersKeepExactlyTheCallsThatShowThatMuch() {
        call("slow", "sales", new CallAnalytics(4, 900, 2400, 2600, 0, 0, 0, 0, 5000, 5000, 2000));
        call("talkover", "support", new CallAnalytics(2, 500, 700, 700, 600, 2, 0, 0, 5000, 5000, 2000));
        call("deadair", "sales", new CallAnalytics(1, 600, 600, 600, 0, 0, 2, 5200, 5000, 5000, 2000));
        call("old", "sales", null);

        assertEquals(List.of("slow"), ids(new CallQuery.AnalyticsFilter(2400, 0, false), null));
        assertEquals(List.of("deadair", "talkover", "slow"), ids(new CallQuery.AnalyticsFilter(0, 0, false), null),
                "an empty filter still drops calls without analytics");
        assertEquals(List.of("deadair"), ids(new CallQuery.AnalyticsFilter(0, 5000, false), null));
        assertEquals(List.of(), ids(new CallQuery.AnalyticsFilter(0, 5201, false), null));
        assertEquals(List.of("talkover"), ids(new CallQuery.AnalyticsFilter(0, 0, true), null));
        assertEquals(List.of("old", "deadair", "slow"), ids(null, "sales"));
        assertEquals(List.of("deadair", "slow"), ids(new CallQuery.AnalyticsFilter(600, 0, false), "sales"));
        assertEquals(List.of(), ids(null, "Sales"), "profiles match exactly");
    }

    private CallPage sorted(CallSort sort, int limit, CallPage before) {
        IndexedCall last = before == null ? null : before.calls().get(before.calls().size() - 1);
        return index.query(new CallQuery(null, null, null, null, 0, null, List.of(), limit,
                last == null ? null : last.position(), null, null, sort, last == null ? 0 : sort.key(last)));
    }

    @Test
    void aSortedListIsWorstFirstTiesNewestFirstAndPagesByTheFiguresCursor() {
        call("a", "sales", new CallAnalytics(4, 900, 2400, 2600, 0, 0, 0, 0, 5000, 5000, 2000));
        call("b", "sales", new CallAnalytics(2, 500, 700, 700, 600, 2, 0, 0, 5000, 5000, 2000));
        call("c", "sales", new CallAnalytics(1, 600, 2400, 600, 0, 0, 2, 5200, 5000, 5000, 2000));
        call("d", "sales", null);
        call("e", "sales", new CallAnalytics(1, 600, 100, 600, 0, 0, 0, 0, 5000, 5000, 2000));

        CallPage first = sorted(CallSort.P95_LATENCY, 2, null);
        assertEquals(List.of("c", "a"), first.calls().stream().map(IndexedCall::id).toList(), "2400 twice: newest");
        CallPage second = sorted(CallSort.P95_LATENCY, 2, first);
        assertEquals(List.of("b", "e"), second.calls().stream().map(IndexedCall::id).toList());
        CallPage third = sorted(CallSort.P95_LATENCY, 2, second);
        assertEquals(List.of("d"), third.calls().stream().map(IndexedCall::id).toList(), "no analytics: last");
        assertEquals(null, third.next());
        assertEquals(List.of("c", "e", "b", "a", "d"), sorted(CallSort.DEAD_AIR, 10, null).calls().stream()
                .map(IndexedCall::id).toList());
        assertEquals(List.of("b"), sorted(CallSort.TALK_OVER, 1, null).calls().stream().map(IndexedCall::id)
                .toList());
    }
}
