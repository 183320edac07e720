package gateway.library;

import java.time.Instant;

/**
 * What the index keeps of one finished call: enough for a line of a call list.
 *
 * @param endedAt   null when call.json has none
 * @param complete  whether every sample of the call reached the file (call.json's {@code recording.complete} when
 *                  present, else no chunk dropped and no sample late or rejected by the recorder)
 * @param excerpt   the start of the transcript with speaker labels, at most {@link CallDocument#EXCERPT_CHARS}
 * @param profile   the routing profile the call got; null for calls recorded before profiles
 * @param answered  false when the caller gave up during early media, before the 200 OK
 * @param review    what its review.json holds; null when the call has no review and no note
 * @param replayOf  the id of the recorded call this one replayed ({@link ReplayOrigin}); null for a phone call
 */
public record IndexedCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant endedAt,
                          long durationMs, String codec, String endReason, int turnCount, int holdCount,
                          int sessionCount, boolean complete, String excerpt, CallAnalytics analytics,
                          String profile, boolean answered, ReviewSummary review, String replayOf) {

    /** A phone call (no replay). */
    public IndexedCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant endedAt,
                       long durationMs, String codec, String endReason, int turnCount, int holdCount,
                       int sessionCount, boolean complete, String excerpt, CallAnalytics analytics,
                       String profile, boolean answered, ReviewSummary review) {
        this(id, sipCallId, from, to, startedAt, endedAt, durationMs, codec, endReason, turnCount, holdCount,
                sessionCount, complete, excerpt, analytics, profile, answered, review, null);
    }

    /** A call without a review. */
    public IndexedCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant endedAt,
                       long durationMs, String codec, String endReason, int turnCount, int holdCount,
                       int sessionCount, boolean complete, String excerpt, CallAnalytics analytics,
                       String profile, boolean answered) {
        this(id, sipCallId, from, to, startedAt, endedAt, durationMs, codec, endReason, turnCount, holdCount,
                sessionCount, complete, excerpt, analytics, profile, answered, null);
    }

    /** An answered call. */
    public IndexedCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant endedAt,
                       long durationMs, String codec, String endReason, int turnCount, int holdCount,
                       int sessionCount, boolean complete, String excerpt, CallAnalytics analytics, String profile) {
        this(id, sipCallId, from, to, startedAt, endedAt, durationMs, codec, endReason, turnCount, holdCount,
                sessionCount, complete, excerpt, analytics, profile, true);
    }

    /** A call whose call.json has no analytics and no profile (written before the recorder measured them). */
    public IndexedCall(String id, String sipCallId, String from, String to, Instant startedAt, Instant endedAt,
                       long durationMs, String codec, String endReason, int turnCount, int holdCount,
                       int sessionCount, boolean complete, String excerpt) {
        this(id, sipCallId, from, to, startedAt, endedAt, durationMs, codec, endReason, turnCount, holdCount,
                sessionCount, complete, excerpt, null, null);
    }

    /** The same call with {@code summary} as its review. */
    public IndexedCall withReview(ReviewSummary summary) {
        return new IndexedCall(id, sipCallId, from, to, startedAt, endedAt, durationMs, codec, endReason, turnCount,
                holdCount, sessionCount, complete, excerpt, analytics, profile, answered, summary, replayOf);
    }

    /** Its place in the newest-first order. */
    public ListPosition position() {
        return new ListPosition(startedAt.toEpochMilli(), id);
    }
}
