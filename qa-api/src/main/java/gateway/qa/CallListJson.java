package gateway.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallAnalytics;
import gateway.library.CallJson;
import gateway.library.CallPage;
import gateway.library.CallSort;
import gateway.library.Cursor;
import gateway.library.IndexedCall;
import gateway.library.ReviewSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The body of {@code GET /api/calls}: {@code {"calls":[…], "next_cursor": "…" | null}}, each call a summary with the
 * names and time format of call.json.
 */
final class CallListJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CallListJson() {
    }

    /** A page newest first; {@code held}: whether a call is under legal hold ({@code legal_hold} in each summary). */
    static byte[] render(CallPage page, Predicate<String> held) {
        return render(page, held, CallSort.NEWEST);
    }

    /** A page in the order {@code sort}, whose cursor carries the last call's figure when it is not newest first. */
    static byte[] render(CallPage page, Predicate<String> held, CallSort sort) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode calls = root.putArray("calls");
        for (IndexedCall call : page.calls()) {
            ObjectNode c = calls.addObject();
            c.put("id", call.id());
            c.put("sip_call_id", call.sipCallId());
            c.put("started_at", utc(call.startedAt()));
            c.put("ended_at", utc(call.endedAt()));
            c.put("duration_ms", call.durationMs());
            c.put("from", call.from());
            c.put("to", call.to());
            c.put("end_reason", call.endReason());
            c.put("codec", call.codec());
            c.put("profile", call.profile());
            if (call.replayOf() != null) {
                c.put("replay_of", call.replayOf());
            }
            c.put("turn_count", call.turnCount());
            c.put("hold_count", call.holdCount());
            c.put("session_count", call.sessionCount());
            c.put("recording_complete", call.complete());
            c.put("excerpt", call.excerpt());
            c.put("legal_hold", held.test(call.id()));
            ReviewSummary review = call.review();
            c.put("reviewed", review != null && review.reviewed());
            if (review != null && review.reviewed()) {
                c.put("score", review.score());
            } else {
                c.putNull("score");
            }
            c.put("reviewers", review == null ? 0 : review.reviewers());
            c.put("notes", review == null ? 0 : review.notes());
            CallAnalytics a = call.analytics();
            if (a != null) {
                c.putObject("analytics").put("latency_p95_ms", a.latencyP95Ms())
                        .put("longest_dead_air_ms", a.longestDeadAirMs()).put("talk_over_count", a.talkOverCount());
            }
        }
        root.put("next_cursor", page.next() == null ? null : sort == CallSort.NEWEST ? Cursor.encode(page.next())
                : Cursor.encodeSorted(sort.key(page.calls().get(page.calls().size() - 1)), page.next()));
        try {
            return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** As in call.json. */
    private static String utc(Instant instant) {
        return instant == null ? null : CallJson.utc(instant);
    }
}
