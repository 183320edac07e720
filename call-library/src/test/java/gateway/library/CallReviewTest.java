package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** review.json: its bytes both ways, one review per reviewer, and the index's view through the library. */
class CallReviewTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path root;

    private static CallReview.Review review(String who, double score) {
        return new CallReview.Review(who, T0, List.of(new CallReview.Answer("greeting", 1, "")), "fine", score);
    }

    @Test
    void theFileReadsBackAsWrittenAndPinsItsFields() throws Exception {
        CallReview written = CallReview.NONE.withReview(new CallReview.Review("alice", T0,
                List.of(new CallReview.Answer("greeting", 1, ""), new CallReview.Answer("tone", 4, "calm")),
                "good call", 87.5)).withNote(new CallReview.Note("n1", 1500, "slow reply", "bob", T0));
        String json = new String(written.toJson(), StandardCharsets.UTF_8);
        assertEquals("{\"reviews\":[{\"reviewer\":\"alice\",\"reviewed_at\":\"2026-12-01T10:00:00.000Z\","
                + "\"score\":87.5,\"comment\":\"good call\",\"answers\":[{\"criterion\":\"greeting\",\"value\":1,"
                + "\"comment\":\"\"},{\"criterion\":\"tone\",\"value\":4,\"comment\":\"calm\"}]}],\"notes\":[{"
                + "\"id\":\"n1\",\"at_ms\":1500,\"text\":\"slow reply\",\"by\":\"bob\","
                + "\"created_at\":\"2026-12-01T10:00:00.000Z\"}]}\n", json);
        assertEquals(written, CallReview.read(written.toJson()));
        assertThrows(java.io.IOException.class, () -> CallReview.read("[1]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aReviewerHasOneReviewAndTheSummaryIsTheMeanOfThem() {
        CallReview r = CallReview.NONE.withReview(review("alice", 50)).withReview(review("bob", 80))
                .withReview(review("alice", 90));
        assertEquals(List.of("bob", "alice"), r.reviews().stream().map(CallReview.Review::reviewer).toList());
        assertEquals(new ReviewSummary(2, 85.0, 0), r.summary());
        assertNull(CallReview.NONE.summary());
        ReviewSummary notesOnly = CallReview.NONE.withNote(new CallReview.Note("x", 1, "t", "a", T0)).summary();
        assertFalse(notesOnly.reviewed());
        assertEquals(0, CallReview.NONE.withNote(new CallReview.Note("x", 1, "t", "a", T0)).withoutNote("x")
                .notes().size());
    }

    @Test
    void theLibraryWritesReviewJsonFiltersOnItAndRebuildsItFromTheFiles() throws Exception {
        new FixtureCall("call-a", T0).duration(10_000).writeTo(root);
        new FixtureCall("call-b", T0.plusSeconds(60)).duration(10_000).writeTo(root);
        Files.createDirectories(root.resolve("call-running"));
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(root))) {
            library.built().get(10, TimeUnit.SECONDS);
            CallLibrary.ReviewUpdate update = library.review(new CallId("call-a"),
                    r -> r.withReview(review("alice", 75))).get(10, TimeUnit.SECONDS);
            assertEquals(CallStatus.FINISHED, update.status());
            assertEquals(update.review(), CallReview.read(Files.readAllBytes(root.resolve("call-a/review.json"))));
            assertFalse(Files.exists(root.resolve("call-a/review.json.tmp")));
            assertEquals(CallStatus.IN_PROGRESS, library.review(new CallId("call-running"),
                    r -> r.withReview(review("alice", 75))).get(10, TimeUnit.SECONDS).status());
            assertFalse(Files.exists(root.resolve("call-running/review.json")));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> library.review(
                    new CallId("call-b"), r -> {
                        throw new IllegalStateException("refused");
                    }).get(10, TimeUnit.SECONDS));
            assertEquals("refused", refused.getCause().getMessage());
            assertFalse(Files.exists(root.resolve("call-b/review.json")));
            assertEquals(List.of("call-a"), ids(library, new CallQuery.ReviewFilter(true, 0)));
            assertEquals(List.of("call-b"), ids(library, new CallQuery.ReviewFilter(false, 0)));
            assertEquals(List.of("call-a"), ids(library, new CallQuery.ReviewFilter(null, 75)));
            assertEquals(List.of(), ids(library, new CallQuery.ReviewFilter(null, 75.1)));
        }
        try (CallLibrary rebuilt = CallLibrary.open(new LocalCallStore(root))) {
            rebuilt.built().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("call-a"), ids(rebuilt, new CallQuery.ReviewFilter(true, 0)));
            IndexedCall a = rebuilt.list(CallQuery.newest(10)).orElseThrow().calls().get(1);
            assertEquals(new ReviewSummary(1, 75, 0), a.review());
        }
    }

    @Test
    void onlyAnnotationFilesAreWrittenThroughTheStore() throws Exception {
        new FixtureCall("call-a", T0).writeTo(root);
        LocalCallStore store = new LocalCallStore(root);
        assertThrows(IllegalArgumentException.class,
                () -> store.write(new CallId("call-a"), CallFile.CALL_JSON, new byte[1]));
        assertEquals(CallStatus.ABSENT, store.write(new CallId("call-z"), CallFile.REVIEW, new byte[1]));
        assertTrue(CallFile.REVIEW.writable());
        store.write(new CallId("call-a"), CallFile.REVIEW, "{}".getBytes(StandardCharsets.UTF_8));
        store.write(new CallId("call-a"), CallFile.REVIEW, null);
        assertFalse(Files.exists(root.resolve("call-a/review.json")));
    }

    private static List<String> ids(CallLibrary library, CallQuery.ReviewFilter filter) {
        CallQuery q = new CallQuery(null, null, null, null, 0, null, List.of(), 50, null, null, null, CallSort.NEWEST,
                0, filter);
        return library.list(q).orElseThrow().calls().stream().map(IndexedCall::id).toList();
    }
}
