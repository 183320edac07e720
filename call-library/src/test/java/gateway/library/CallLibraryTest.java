package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call index through the library, on a real directory of 300 calls: order, every filter against a plain
 * reading of the fixtures, cursors, and the changes a running gateway makes (calls finishing, being deleted).
 */
class CallLibraryTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final int CALLS = 300;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;
    private final List<FixtureCall> fixtures = new ArrayList<>();
    private CallLibrary library;

    @BeforeEach
    void writeCalls() throws Exception {
        for (int i = 0; i < CALLS; i++) {
            // Calls 100-102 start in the same millisecond: their order is by id, descending.
            Instant start = i >= 100 && i <= 102 ? T0.plusSeconds(6000) : T0.plusSeconds(60L * i).plusMillis(i % 3);
            FixtureCall c = new FixtureCall(String.format("call-%03d", i), start)
                    .duration((i % 10) * 10_000L)
                    .from("sip:+1555000" + (i % 7) + "@198.51.100.7")
                    .to(i % 2 == 0 ? "sip:agent@gw.example.com" : "sip:Sales@GW.example.com")
                    .endReason(i % 5 == 0 ? "realtime_lost" : "caller_bye")
                    .turn("caller", 500, 2500, "Hello, my order number is N" + i
                            + (i % 4 == 0 ? ". I want a refund please." : "."))
                    .turn("assistant", 3000, 5000, i % 3 == 0 ? "Your REFUND is approved." : "Thanks for calling.");
            c.writeTo(root);
            fixtures.add(c);
        }
        library = CallLibrary.open(new LocalCallStore(root));
        CallLibrary.BuildReport report = library.built().get(10, TimeUnit.SECONDS);
        assertEquals(CALLS, report.calls());
        assertEquals(0, report.unreadable());
    }

    @AfterEach
    void close() {
        library.close();
    }

    @Test
    void callsComeNewestFirstAcrossPagesWithTiesByIdDescending() {
        List<String> walked = walk(query(7));
        assertEquals(expected(c -> true), walked);
        int tie = walked.indexOf("call-102");
        assertEquals(List.of("call-102", "call-101", "call-100"), walked.subList(tie, tie + 3));
        assertEquals("call-299", walked.get(0));
    }

    @Test
    void eachFilterKeepsExactlyTheCallsItDescribes() {
        Instant since = fixtures.get(40).startedAt;
        Instant until = fixtures.get(60).startedAt;
        assertEquals(expected(c -> !c.startedAt.isBefore(since) && c.startedAt.isBefore(until)),
                walk(new CallQuery(since, until, null, null, 0, null, List.of(), 6, null)));
        assertEquals(20, walk(new CallQuery(since, until, null, null, 0, null, List.of(), 6, null)).size(),
                "since is inclusive and until exclusive");
        assertEquals(expected(c -> c.from.contains("5550003")), walk(filter("5550003", null, 0, null)));
        assertEquals(expected(c -> c.to.toLowerCase(Locale.ROOT).contains("sales@gw")),
                walk(filter(null, "SALES@gw", 0, null)));
        assertEquals(expected(c -> c.durationMs >= 50_000), walk(filter(null, null, 50_000, null)));
        assertEquals(expected(c -> c.endReason.equals("realtime_lost")),
                walk(filter(null, null, 0, "realtime_lost")));
        assertEquals(expected(c -> c.endReason.equals("realtime_lost") && c.durationMs >= 50_000
                        && c.from.contains("5550001")),
                walk(filter("5550001", null, 50_000, "realtime_lost")));
    }

    @Test
    void wordSearchMatchesWholeWordsOfEitherSideInAnyCase() {
        assertEquals(expected(c -> number(c) % 3 == 0 || number(c) % 4 == 0), walk(words("Refund")));
        assertEquals(expected(c -> number(c) % 3 == 0), walk(words("refund APPROVED")),
                "every word must occur");
        assertEquals(expected(c -> number(c) % 12 == 0), walk(words("want approved")),
                "words of both sides together");
        assertEquals(List.of("call-042"), walk(words("n42")));
        assertEquals(List.of(), walk(words("refun")), "a part of a word is not the word");
        assertEquals(List.of(), walk(words("zebra")), "a word no call has");
    }

    @Test
    void aCursorStaysValidWhileNewerCallsArrive() throws Exception {
        CallPage first = library.list(query(10)).orElseThrow();
        for (int i = 0; i < 5; i++) {
            new FixtureCall("new-" + i, T0.plusSeconds(86_400 + i)).writeTo(root);
            library.callFinished("new-" + i);
        }
        Await.until(() -> library.size() == CALLS + 5, WAIT, () -> "indexed " + library.size());
        CallPage second = library.list(new CallQuery(null, null, null, null, 0, null, List.of(), 10, first.next()))
                .orElseThrow();
        assertEquals(expected(c -> true).subList(10, 20), ids(second));
        assertEquals("new-4", library.list(query(1)).orElseThrow().calls().get(0).id());
    }

    @Test
    void aFinishedCallIsIndexedOnceItsFilesAreFinalAndReadAgainWhenTheyChange() throws Exception {
        FixtureCall late = new FixtureCall("late-call", T0.plusSeconds(100_000)).endReason("gateway_crash");
        Path dir = late.writeTo(root);
        library.callFinished("late-call");
        Await.until(() -> top().equals("late-call"), WAIT, this::top);
        assertFalse(library.list(query(1)).orElseThrow().calls().get(0).complete(), "a crashed call is incomplete");

        late.recordingComplete = true;
        Files.write(dir.resolve("call.json"), late.json());
        library.callFinished("late-call");
        Await.until(() -> library.list(query(1)).orElseThrow().calls().get(0).complete(), WAIT, this::top);

        Files.delete(dir.resolve("call.json"));
        library.callFinished("late-call");
        Await.until(() -> top().equals("call-299"), WAIT, this::top);
        library.callFinished("../etc");
        library.callFinished("never-existed");
        // The delete runs on the index thread after both: once it is done, they are too.
        assertEquals(CallStore.DeleteOutcome.ABSENT, library.delete(new CallId("never-existed")).get());
        assertEquals(CALLS, library.size());
    }

    @Test
    void deleteRemovesAFinishedCallAndLeavesOneInProgressAlone() throws Exception {
        assertEquals(CallStore.DeleteOutcome.DELETED, library.delete(new CallId("call-150")).get());
        assertFalse(Files.exists(root.resolve("call-150")));
        assertFalse(expectedWalk().contains("call-150"));
        assertEquals(CALLS - 1, library.size());
        assertEquals(CallStore.DeleteOutcome.ABSENT, library.delete(new CallId("call-150")).get());

        Path running = Files.createDirectories(root.resolve("running"));
        Files.writeString(running.resolve(RecordingFormat.PARTIAL_JSON_FILE), "{}");
        assertEquals(CallStore.DeleteOutcome.IN_PROGRESS, library.delete(new CallId("running")).get());
        assertTrue(Files.exists(running.resolve(RecordingFormat.PARTIAL_JSON_FILE)));
    }

    @Test
    void theStartUpBuildSkipsWhatIsNotAFinishedCallOfThisDirectory(@TempDir Path other) throws Exception {
        Path dir = other.resolve("recordings");
        new FixtureCall("good", T0).writeTo(dir);
        Files.writeString(Files.createDirectories(dir.resolve("running")).resolve(RecordingFormat.PARTIAL_JSON_FILE),
                "{}");
        Files.writeString(Files.createDirectories(dir.resolve("garbled")).resolve("call.json"), "{\"id\":");
        Files.write(Files.createDirectories(dir.resolve("renamed")).resolve("call.json"),
                new FixtureCall("good", T0).json());
        new FixtureCall("not an id", T0).writeTo(dir);
        Path outside = new FixtureCall("linked", T0).writeTo(other);
        Files.createSymbolicLink(dir.resolve("linked"), outside);
        try (CallLibrary lib = CallLibrary.open(new LocalCallStore(dir))) {
            CallLibrary.BuildReport report = lib.built().get(10, TimeUnit.SECONDS);
            assertEquals(1, report.calls());
            assertEquals(2, report.unreadable(), "garbled and renamed");
            assertEquals(List.of("good"), ids(lib.list(query(10)).orElseThrow()));
        }
    }

    @Test
    void theListIsEmptyUntilTheBuildIsDone() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CallStore gated = new GatedStore(root, gate);
        try (CallLibrary lib = CallLibrary.open(gated)) {
            assertFalse(lib.ready());
            assertEquals(Optional.empty(), lib.list(query(5)));
            gate.countDown();
            assertEquals(CALLS, lib.built().get(10, TimeUnit.SECONDS).calls());
            assertEquals(5, lib.list(query(5)).orElseThrow().calls().size());
        }
    }

    /**
     * A call re-read after its call.json was rewritten keeps its place in the list while the read is under way (held
     * here on the store), and shows the new content once it is done.
     */
    @Test
    void aCallBeingReadAgainStaysListed() throws Exception {
        GatedStore store = new GatedStore(root, new CountDownLatch(0));
        try (CallLibrary lib = CallLibrary.open(store)) {
            lib.built().get(10, TimeUnit.SECONDS);
            FixtureCall newest = fixtures.get(CALLS - 1);
            assertEquals(newest.id, lib.list(query(1)).orElseThrow().calls().get(0).id());
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch reading = new CountDownLatch(1);
            store.holdCallJsonReads(gate, reading);
            newest.endReason("agent_hangup").writeTo(root);
            lib.callFinished(newest.id);
            assertTrue(reading.await(10, TimeUnit.SECONDS), "the index started reading the call again");

            IndexedCall during = lib.list(query(1)).orElseThrow().calls().get(0);
            assertEquals(newest.id, during.id(), "still listed while it is read again");
            assertEquals(CALLS, lib.size());
            gate.countDown();
            IndexedCall after = Await.until(() -> lib.list(query(1)).orElseThrow().calls().get(0),
                    c -> c.endReason().equals("agent_hangup"), WAIT, c -> c.id() + " " + c.endReason());
            assertEquals(newest.id, after.id());
            assertEquals(CALLS, lib.size());
        }
    }

    private List<String> expectedWalk() {
        return walk(query(50));
    }

    private String top() {
        return library.list(query(1)).orElseThrow().calls().get(0).id();
    }

    /** Every page of {@code query}; checks that only the last has fewer than its limit and no cursor. */
    private List<String> walk(CallQuery query) {
        int limit = query.limit();
        List<String> all = new ArrayList<>();
        CallQuery q = query;
        while (true) {
            CallPage page = library.list(q).orElseThrow();
            all.addAll(ids(page));
            if (page.next() == null) {
                assertTrue(page.calls().size() <= limit);
                return all;
            }
            assertEquals(limit, page.calls().size());
            assertEquals(page.calls().get(limit - 1).position(), page.next());
            q = new CallQuery(q.since(), q.until(), q.from(), q.to(), q.minDurationMs(), q.endReason(), q.words(),
                    q.limit(), page.next());
        }
    }

    /** The fixtures that satisfy {@code filter}, newest first, ties by id descending: the plain reading. */
    private List<String> expected(Predicate<FixtureCall> filter) {
        return fixtures.stream().filter(filter)
                .sorted(Comparator.comparing((FixtureCall c) -> c.startedAt).reversed()
                        .thenComparing(c -> c.id, Comparator.reverseOrder()))
                .map(c -> c.id).toList();
    }

    private static int number(FixtureCall c) {
        return Integer.parseInt(c.id.substring("call-".length()));
    }

    private static List<String> ids(CallPage page) {
        return page.calls().stream().map(IndexedCall::id).toList();
    }

    private static CallQuery query(int limit) {
        return CallQuery.newest(limit);
    }

    private static CallQuery filter(String from, String to, long minDuration, String endReason) {
        return new CallQuery(null, null, from, to, minDuration, endReason, List.of(), 7, null);
    }

    private static CallQuery words(String text) {
        return new CallQuery(null, null, null, null, 0, null, CallQuery.words(text), 7, null);
    }

    @Test
    void noCursorWhenTheLastPageIsExactlyFull() {
        CallPage all = library.list(query(CALLS)).orElseThrow();
        assertEquals(CALLS, all.calls().size());
        assertNull(all.next());
    }
}
