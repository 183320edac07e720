package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.testkit.Await;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls another process writes into a running library's directory, on the manual clock: one appearing (listed only
 * once its call.json is whole), one rewritten, one removed, each found by the watch's passes without a restart.
 */
class RecordingsWatchTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;
    private final ManualScheduler clock = new ManualScheduler();
    private CallLibrary library;
    private RecordingsWatch watch;
    private final List<String> finishedElsewhere = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        new FixtureCall("first", T0).writeTo(root);
        library = CallLibrary.open(new LocalCallStore(root));
        library.built().get(10, TimeUnit.SECONDS);
        watch = new RecordingsWatch(new LocalCallStore(root), library, finishedElsewhere::add, clock, () -> { });
        watch.start();
    }

    @AfterEach
    void close() {
        watch.close();
        library.close();
    }

    @Test
    void aCallFinishedByAnotherProcessIsListedOnceItsCallJsonIsWhole() throws Exception {
        Path dir = Files.createDirectories(root.resolve("replay-1"));
        Files.write(dir.resolve("call.json.partial"), "{\"id\":\"replay-1\"".getBytes());
        Files.write(dir.resolve("call.json.tmp"), "{\"id\":".getBytes());
        for (int pass = 0; pass < 3; pass++) {
            clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
        }
        assertEquals(List.of("first"), listed(c -> true), "a call still being written is not listed");

        byte[] json = new FixtureCall("replay-1", T0.plusSeconds(60)).endReason("replay_end").json();
        Files.write(dir.resolve("call.json.tmp"), json);
        Files.move(dir.resolve("call.json.tmp"), dir.resolve("call.json"), StandardCopyOption.ATOMIC_MOVE);
        awaitListed(ids -> ids.equals(List.of("replay-1", "first")));
        assertEquals("replay_end", library.list(CallQuery.newest(10)).orElseThrow().calls().get(0).endReason());
        clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS * 3);
        assertEquals(List.of("replay-1"), finishedElsewhere, "told once, and only of the new call");
    }

    @Test
    void aRewrittenCallJsonIsReadAgain() throws Exception {
        clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
        new FixtureCall("first", T0).endReason("agent_hangup").duration(12_345).writeTo(root);
        IndexedCall call = Await.until(() -> {
            clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
            return library.list(CallQuery.newest(10)).orElseThrow().calls().get(0);
        }, c -> c.endReason().equals("agent_hangup"), WAIT, c -> c.endReason() + ", " + c.durationMs() + " ms");
        assertEquals(12_345, call.durationMs());
        assertEquals(1, library.size());
        assertEquals(List.of(), finishedElsewhere, "a rewrite is not a new call");
    }

    @Test
    void aRemovedDirectoryDropsOut() throws Exception {
        new FixtureCall("second", T0.plusSeconds(30)).writeTo(root);
        awaitListed(ids -> ids.equals(List.of("second", "first")));
        removeTree(root.resolve("first"));
        awaitListed(ids -> ids.equals(List.of("second")));
    }

    @Test
    void aDirectoryRemovedBeforeItsCallJsonCameLeavesThePassesGoingWithoutAWord() throws Exception {
        try (LogCapture log = LogCapture.of(RecordingsWatch.class)) {
            Path abandoned = Files.createDirectories(root.resolve("abandoned"));
            Files.write(abandoned.resolve("call.json.partial"), "{".getBytes());
            Path quick = Files.createDirectories(root.resolve("quick"));
            clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
            removeTree(quick);
            removeTree(abandoned);
            new FixtureCall("third", T0.plusSeconds(90)).writeTo(root);
            awaitListed(ids -> ids.equals(List.of("third", "first")));
            for (int pass = 0; pass < 3; pass++) {
                clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
            }
            assertEquals(List.of(), log.lineTexts(), "every pass ran to its end");
            assertEquals(List.of("third"), finishedElsewhere);
        }
    }

    @Test
    void callsTheLibraryIndexedAtStartAreNotReadAgain() throws Exception {
        String version = library.indexedVersion("first");
        clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS * 3);
        new FixtureCall("second", T0.plusSeconds(30)).writeTo(root);
        awaitListed(ids -> ids.equals(List.of("second", "first")));
        assertEquals(version, library.indexedVersion("first"));
    }

    /** Advances the clock a pass at a time until the listed ids are as {@code done} says. */
    private void awaitListed(Predicate<List<String>> done) throws InterruptedException {
        Await.until(() -> {
            clock.advanceMillis(RecordingsWatch.PERIOD_MILLIS);
            return listed(c -> true);
        }, done, WAIT, ids -> "listed " + ids);
    }

    private List<String> listed(Predicate<IndexedCall> which) {
        return library.list(CallQuery.newest(10)).orElseThrow().calls().stream().filter(which)
                .map(IndexedCall::id).toList();
    }

    private static void removeTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
