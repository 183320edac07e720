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
 */
public record CallQuery(Instant since, Instant until, String from, String to, long minDurationMs, String endReason,
                        List<String> words, int limit, ListPosition after) {

    public CallQuery {
        words = List.copyOf(Objects.requireNonNull(words, "words"));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
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
