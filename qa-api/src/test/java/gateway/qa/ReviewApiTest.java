package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.library.CallReview;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scorecards and notes over real sockets: the form, a review's checks and score, one review per reviewer named by
 * the token, notes and their authors, the list's review filters, the audit lines, and who may do what.
 */
class ReviewApiTest {

    static final Scorecard FORM = new Scorecard("Support calls", List.of(
            new Scorecard.Criterion("greeting", "Greeted the caller", Scorecard.Kind.PASS_FAIL, 1, false),
            new Scorecard.Criterion("resolution", "Solved the problem", Scorecard.Kind.PASS_FAIL, 2, true),
            new Scorecard.Criterion("tone", "Tone", Scorecard.Kind.SCALE_1_5, 1, false)));
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String FIRST = "/api/calls/" + ApiFixture.FIRST;
    /** greeting pass (1 x 1), resolution fail (2 x 0), tone 4 (1 x 3/4): 100 * 1.75 / 4 = 43.75, kept as 43.8. */
    private static final String REVIEW = "{\"answers\":[{\"criterion\":\"greeting\",\"value\":true},"
            + "{\"criterion\":\"resolution\",\"value\":false,\"comment\":\"no refund offered\"},"
            + "{\"criterion\":\"tone\",\"value\":4}],\"comment\":\"polite but unhelpful\"}";

    @TempDir
    Path base;

    private ApiFixture start(Scorecard form) throws Exception {
        ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN, form);
        api.now.set(T0);
        return api;
    }

    @Test
    void theFormIsServedAsConfigured() throws Exception {
        try (ApiFixture api = start(FORM)) {
            JsonNode form = json(api.sendAs(RolesTest.VIEWER, "GET", "/api/scorecard"));
            assertEquals("{\"title\":\"Support calls\",\"configured\":true,\"criteria\":[{\"id\":\"greeting\","
                    + "\"label\":\"Greeted the caller\",\"kind\":\"pass_fail\",\"weight\":1.0,\"comment_required\":"
                    + "false},{\"id\":\"resolution\",\"label\":\"Solved the problem\",\"kind\":\"pass_fail\","
                    + "\"weight\":2.0,\"comment_required\":true},{\"id\":\"tone\",\"label\":\"Tone\",\"kind\":"
                    + "\"scale_1_5\",\"weight\":1.0,\"comment_required\":false}]}", form.toString());
        }
    }

    @Test
    void aViewerReviewsAsTheTokensNameWithTheWeightedScore() throws Exception {
        try (ApiFixture api = start(FORM)) {
            HttpResponse<byte[]> saved = api.jsonAs(RolesTest.VIEWER, "PUT", FIRST + "/review", REVIEW);
            assertEquals(200, saved.statusCode(), new String(saved.body()));
            JsonNode review = json(saved).path("reviews").get(0);
            assertEquals("victor", review.path("reviewer").asText());
            assertEquals(43.8, review.path("score").asDouble());
            assertEquals("2026-12-01T10:00:00.000Z", review.path("reviewed_at").asText());
            assertEquals("no refund offered", review.path("answers").get(1).path("comment").asText());
            assertEquals(0, review.path("answers").get(1).path("value").asInt());
            CallReview stored = CallReview.read(Files.readAllBytes(
                    api.recordings.resolve(ApiFixture.FIRST).resolve("review.json")));
            assertEquals(43.8, stored.reviews().get(0).score());

            String allPass = "{\"answers\":[{\"criterion\":\"greeting\",\"value\":true},{\"criterion\":"
                    + "\"resolution\",\"value\":true,\"comment\":\"refunded\"},{\"criterion\":\"tone\","
                    + "\"value\":5}]}";
            assertEquals(200, api.jsonAs(RolesTest.ADMIN, "PUT", FIRST + "/review", allPass).statusCode());
            String onePass = allPass.replace("\"value\":5", "\"value\":1");
            JsonNode again = json(api.jsonAs(RolesTest.VIEWER, "PUT", FIRST + "/review", onePass));
            assertEquals(List.of("alice 100.0", "victor 75.0"), reviewers(again));
            JsonNode read = json(api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/review"));
            assertEquals(List.of("alice 100.0", "victor 75.0"), reviewers(read));
            JsonNode listed = json(api.get("/api/calls")).path("calls");
            assertEquals(ApiFixture.SECOND, listed.get(0).path("id").asText());
            assertFalse(listed.get(0).path("reviewed").asBoolean());
            assertTrue(listed.get(0).path("score").isNull());
            assertTrue(listed.get(1).path("reviewed").asBoolean());
            assertEquals(87.5, listed.get(1).path("score").asDouble());
            assertEquals(2, listed.get(1).path("reviewers").asInt());
            assertEquals(List.of(ApiFixture.FIRST), ids(api, "reviewed=true"));
            assertEquals(List.of(ApiFixture.SECOND), ids(api, "reviewed=false"));
            assertEquals(List.of(ApiFixture.FIRST), ids(api, "min_score=87.5"));
            assertEquals(List.of(), ids(api, "min_score=87.6"));
            assertError(api.get("/api/calls?min_score=101"), 400, "invalid_parameter");
            assertError(api.get("/api/calls?reviewed=maybe"), 400, "invalid_parameter");
            List<String> audit = QaRecordsTest.lines(api, 3).stream().map(QaRecordsTest::summary).toList();
            assertTrue(audit.containsAll(List.of("victor reviewed " + ApiFixture.FIRST + " score 43.8",
                    "alice reviewed " + ApiFixture.FIRST + " score 100.0",
                    "victor reviewed " + ApiFixture.FIRST + " score 75.0")), audit.toString());
        }
    }

    @Test
    void aReviewThatDoesNotFitTheFormIsA400NamingWhy() throws Exception {
        try (ApiFixture api = start(FORM)) {
            assertRefused(api, REVIEW.replace(",\"comment\":\"no refund offered\"", ""),
                    "criterion 'resolution' needs a comment");
            assertRefused(api, REVIEW.replace("\"tone\"", "\"speed\""), "unknown criterion 'speed'");
            assertRefused(api, REVIEW.replace("{\"criterion\":\"greeting\",\"value\":true},", ""),
                    "criterion 'greeting' is not answered");
            assertRefused(api, REVIEW.replace("\"value\":4", "\"value\":6"),
                    "criterion 'tone' takes a whole number from 1 to 5");
            assertRefused(api, REVIEW.replace("\"comment\":\"polite", "\"reviewer\":\"mallory\",\"comment\":\"polite"),
                    "a review has answers and comment, not reviewer (the reviewer is the token's name)");
            assertRefused(api, "[]", "the body must be a JSON object");
            assertFalse(Files.exists(api.recordings.resolve(ApiFixture.FIRST).resolve("review.json")));
            assertError(api.jsonAs(RolesTest.VIEWER, "PUT", "/api/calls/" + ApiFixture.RUNNING + "/review", REVIEW),
                    409, "call_in_progress");
            assertError(api.jsonAs(RolesTest.VIEWER, "PUT", "/api/calls/nosuchcall/review", REVIEW), 404,
                    "not_found");
            assertEquals(200, api.jsonAs(RolesTest.VIEWER, "PUT", FIRST + "/review", REVIEW).statusCode());
        }
    }

    @Test
    void withoutAFormReviewsAre409ButNotesWork() throws Exception {
        try (ApiFixture api = start(Scorecard.NONE)) {
            assertEquals("{\"title\":\"\",\"configured\":false,\"criteria\":[]}",
                    json(api.get("/api/scorecard")).toString());
            assertError(api.jsonAs(RolesTest.VIEWER, "PUT", FIRST + "/review", REVIEW), 409, "no_scorecard");
            assertEquals(201, api.jsonAs(RolesTest.VIEWER, "POST", FIRST + "/notes",
                    "{\"at_ms\":500,\"text\":\"hi\"}").statusCode());
        }
    }

    @Test
    void notesArePinnedToMomentsAndOnlyTheirAuthorDeletesThem() throws Exception {
        try (ApiFixture api = start(FORM)) {
            HttpResponse<byte[]> added = api.jsonAs(RolesTest.VIEWER, "POST", FIRST + "/notes",
                    "{\"at_ms\":1250,\"text\":\"the agent talks over the caller\"}");
            assertEquals(201, added.statusCode(), new String(added.body()));
            JsonNode note = json(added);
            assertEquals(1250, note.path("at_ms").asLong());
            assertEquals("victor", note.path("by").asText());
            assertEquals("2026-12-01T10:00:00.000Z", note.path("created_at").asText());
            String noteId = note.path("id").asText();
            assertEquals(201, api.jsonAs(RolesTest.ADMIN, "POST", FIRST + "/notes",
                    "{\"at_ms\":300,\"text\":\"greeting ok\"}").statusCode());
            JsonNode read = json(api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/review"));
            assertEquals(List.of("1250 victor the agent talks over the caller", "300 alice greeting ok"),
                    notes(read));
            assertEquals(2, json(api.get("/api/calls")).path("calls").get(1).path("notes").asInt());
            assertFalse(json(api.get("/api/calls")).path("calls").get(1).path("reviewed").asBoolean());

            assertError(api.sendAs(RolesTest.ADMIN, "DELETE", FIRST + "/notes/" + noteId), 403, "not_yours");
            assertError(api.sendAs(RolesTest.VIEWER, "DELETE", FIRST + "/notes/nosuchnote"), 404, "not_found");
            assertError(api.sendAs(RolesTest.VIEWER, "DELETE", FIRST + "/notes/bad~id"), 400, "invalid_id");
            assertEquals(204, api.sendAs(RolesTest.VIEWER, "DELETE", FIRST + "/notes/" + noteId).statusCode());
            assertEquals(List.of("300 alice greeting ok"),
                    notes(json(api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/review"))));

            assertError(api.jsonAs(RolesTest.VIEWER, "POST", FIRST + "/notes", "{\"at_ms\":-1,\"text\":\"x\"}"),
                    400, "invalid_body");
            assertError(api.jsonAs(RolesTest.VIEWER, "POST", FIRST + "/notes", "{\"at_ms\":5,\"text\":\" \"}"),
                    400, "invalid_body");
            assertError(api.jsonAs(RolesTest.VIEWER, "POST", FIRST + "/notes", "{\"at_ms\":5,\"text\":\"x\"}",
                    "Origin", "http://evil.example"), 403, "forbidden");
            List<String> audit = QaRecordsTest.lines(api, 4).stream().map(QaRecordsTest::summary).toList();
            assertTrue(audit.contains("victor note_added " + ApiFixture.FIRST + " " + noteId + " at 1250 ms"),
                    audit.toString());
            assertTrue(audit.contains("victor note_deleted " + ApiFixture.FIRST + " " + noteId), audit.toString());
        }
    }

    private static void assertRefused(ApiFixture api, String body, String message) throws Exception {
        HttpResponse<byte[]> r = api.jsonAs(RolesTest.VIEWER, "PUT", FIRST + "/review", body);
        assertError(r, 400, "invalid_body");
        assertEquals(message, json(r).path("error").path("message").asText());
    }

    private static List<String> reviewers(JsonNode review) {
        List<String> out = new ArrayList<>();
        review.path("reviews").forEach(r -> out.add(r.path("reviewer").asText() + " " + r.path("score").asDouble()));
        return out;
    }

    private static List<String> notes(JsonNode review) {
        List<String> out = new ArrayList<>();
        review.path("notes").forEach(n -> out.add(n.path("at_ms").asLong() + " " + n.path("by").asText() + " "
                + n.path("text").asText()));
        return out;
    }

    private static List<String> ids(ApiFixture api, String query) throws Exception {
        List<String> out = new ArrayList<>();
        json(api.get("/api/calls?" + query)).path("calls").forEach(c -> out.add(c.path("id").asText()));
        return out;
    }
}
