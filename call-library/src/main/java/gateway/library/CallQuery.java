package gateway.library;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A call list request. Null or empty fields do not filter.
 *
 * @param since         calls started at or after this instant
 * @param until         calls started before this instant
 * @param from          case-insensitive substring of the From URI
 * @param to            case-insensitive substring of the To URI
 * @param minDurationMs calls at least this long
 * @param endReason     exactly this end reason
 * @param words         lower-case words that must all occur in the transcript (either side); see {@link #words(String)}
 * @param limit         most calls on the page
 * @param after         the cursor: only calls after this position (older, in list order)
 * @param analytics     what the conversation analytics must show; null: no such filter
 * @param profile       exactly this routing profile ({@code default} for the {@code agent.*} one); null: any
 * @param sort          the list's order
 * @param afterKey      with a cursor in an order other than {@link CallSort#NEWEST}: the cursor call's figure
 * @param review        whether the call must have been reviewed, and its least score; null: no such filter
 * @param replayOf      only the replays of the call with this id; null: any call
 */
public record CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                        List<String> words, int limit, ListPosition after, AnalyticsFilter analytics,
                        String profile, CallSort sort, long afterKey, ReviewFilter review, String replayOf) {

    /** A query that does not ask for replays of a call. */
    public CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                     List<String> words, int limit, ListPosition after, AnalyticsFilter analytics,
                     String profile, CallSort sort, long afterKey, ReviewFilter review) {
        this(since, until, from, to, minDurationMs, endReason, words, limit, after, analytics, profile, sort,
                afterKey, review, null);
    }

    /**
     * Calls by their review: {@code reviewed} true for those at least one reviewer scored, false for the others,
     * null for either; {@code minScore} the least mean score (0: not asked; asking implies reviewed).
     */
    public record ReviewFilter(Boolean reviewed, double minScore) {

        /** Whether a call whose review is {@code summary} (null: none) matches. */
        public boolean matches(ReviewSummary summary) {
            boolean isReviewed = summary != null && summary.reviewed();
            if (reviewed != null && reviewed != isReviewed) {
                return false;
            }
            return minScore <= 0 || isReviewed && summary.score() >= minScore;
        }
    }

    /** A query with no review filter. */
    public CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                     List<String> words, int limit, ListPosition after, AnalyticsFilter analytics,
                     String profile, CallSort sort, long afterKey) {
        this(since, until, from, to, minDurationMs, endReason, words, limit, after, analytics, profile, sort,
                afterKey, null);
    }

    /**
     * Calls worth a listen by their {@link CallAnalytics}: a 95th-percentile reply time, a stretch of dead air at
     * least this long (0: either not asked), talk-over. A call without analytics (older files) matches none.
     */
    public record AnalyticsFilter(long minP95LatencyMs, long minDeadAirMs, boolean talkOver) {

        /** Whether {@code a} shows all that is asked. */
        public boolean matches(CallAnalytics a) {
            return a != null && a.latencyP95Ms() >= minP95LatencyMs && a.longestDeadAirMs() >= minDeadAirMs
                    && (!talkOver || a.talkOverCount() > 0);
        }
    }

    /** A query newest first. */
    public CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                     List<String> words, int limit, ListPosition after, AnalyticsFilter analytics, String profile) {
        this(since, until, from, to, minDurationMs, endReason, words, limit, after, analytics, profile,
                CallSort.NEWEST, 0);
    }

    /** A query of any profile. */
    public CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                     List<String> words, int limit, ListPosition after, AnalyticsFilter analytics) {
        this(since, until, from, to, minDurationMs, endReason, words, limit, after, analytics, null);
    }

    /** A query with no analytics filter. */
    public CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                     List<String> words, int limit, ListPosition after) {
        this(since, until, from, to, minDurationMs, endReason, words, limit, after, null);
    }

    public CallQuery {
        words = List.copyOf(Objects.requireNonNull(words, "words"));
        Objects.requireNonNull(sort, "sort");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** The same filters and order from the first call on, {@code limit} at most: a whole selection, for an export. */
    public CallQuery firstPage(int limit) {
        return new CallQuery(since, until, from, to, minDurationMs, endReason, words, limit, null, analytics, profile,
                sort, 0, review, replayOf);
    }

    /** A query for the newest {@code limit} calls. */
    public static CallQuery newest(int limit) {
        return new CallQuery(null, null, null, null, 0, null, List.of(), limit, null);
    }

    /** The search words of {@code text}, split and lower-cased as transcripts are. */
    public static List<String> words(String text) {
        return Words.of(text);
    }
}
