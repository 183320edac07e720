package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.LegalHold;
import gateway.library.LocalCallStore;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention sweep on a manual clock: a dry run first, then deletes of what started before the cutoff only. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    @Test
    void theFirstSweepOnlyListsWhatItWouldDeleteAndTheNextDeletesItWithAnAuditLine() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(dir)) {
            recorder.record("old-40d", NOW.minus(Duration.ofDays(40)), 1);
            recorder.record("old-31d", NOW.minus(Duration.ofDays(31)), 1);
            recorder.record("edge-30d", NOW.minus(Duration.ofDays(30)), 1);
            recorder.record("new-28d", NOW.minus(Duration.ofDays(28)), 1);
            recorder.record("new-1h", NOW.minus(Duration.ofHours(1)), 1);
        }
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        InstantSource clock = now::get;
        ManualScheduler scheduler = new ManualScheduler();
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(dir));
             LogCapture log = LogCapture.of(Retention.class)) {
            library.built().get(10, TimeUnit.SECONDS);
            Retention retention = Retention.start(library, 30, scheduler, clock, DAY);
            scheduler.runDue();

            assertEquals(List.of("INFO retention dry run: 2 calls started before 2026-10-24T12:00:00Z (30 days)"
                    + " would be deleted: old-31d, old-40d; nothing is deleted now,"
                    + " deletions start with the next sweep in PT24H"),
                    log.lineTexts());
            assertEquals(5, library.size());
            assertTrue(Files.isDirectory(dir.resolve("old-40d")));

            now.set(NOW.plus(DAY));
            scheduler.advanceMillis(DAY.toMillis() - 1);
            assertEquals(1, log.lineTexts().size(), "no sweep before a period has passed");
            scheduler.advanceMillis(1);

            assertEquals(List.of(
                    "INFO audit: DELETE call edge-30d by retention (started_at 2026-10-24T12:00:00Z, kept 30 days):"
                            + " deleted",
                    "INFO audit: DELETE call old-31d by retention (started_at 2026-10-23T12:00:00Z, kept 30 days):"
                            + " deleted",
                    "INFO audit: DELETE call old-40d by retention (started_at 2026-10-14T12:00:00Z, kept 30 days):"
                            + " deleted",
                    "INFO retention sweep: 3 of 3 calls started before 2026-10-25T12:00:00Z deleted, 0 failed (tried"
                            + " again at the next sweep)"),
                    log.lineTexts().subList(1, 5));
            for (String gone : List.of("old-40d", "old-31d", "edge-30d")) {
                assertFalse(Files.exists(dir.resolve(gone)), gone);
            }
            assertTrue(Files.isDirectory(dir.resolve("new-28d")));
            assertTrue(Files.isDirectory(dir.resolve("new-1h")));
            assertEquals(2, library.size(), "the index follows");
            assertEquals(3, retention.deleted());
            retention.close();
        }
    }

    @Test
    void aCallUnderLegalHoldOutlivesRetentionUntilTheHoldIsLifted() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(dir)) {
            recorder.record("held-40d", NOW.minus(Duration.ofDays(40)), 1);
            recorder.record("old-35d", NOW.minus(Duration.ofDays(35)), 1);
        }
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        ManualScheduler scheduler = new ManualScheduler();
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(dir));
             LogCapture log = LogCapture.of(Retention.class)) {
            library.built().get(10, TimeUnit.SECONDS);
            assertEquals(CallStatus.FINISHED, library.hold(new CallId("held-40d"),
                    new LegalHold(NOW, "alice", "case 42")).get(10, TimeUnit.SECONDS));
            assertTrue(Files.isRegularFile(dir.resolve("held-40d").resolve("legal-hold.json")));
            Retention retention = Retention.start(library, 30, scheduler, now::get, DAY);
            scheduler.runDue();
            now.set(NOW.plus(DAY));
            scheduler.advanceMillis(DAY.toMillis());

            assertEquals(List.of(
                    "INFO audit: DELETE call old-35d by retention (started_at 2026-10-19T12:00:00Z, kept 30 days):"
                            + " deleted",
                    "INFO retention sweep: 1 of 2 calls started before 2026-10-25T12:00:00Z deleted, 0 failed (tried"
                            + " again at the next sweep), 1 kept under legal hold"),
                    log.lineTexts().subList(1, 3));
            assertTrue(Files.isDirectory(dir.resolve("held-40d")));
            assertEquals(1, library.size());

            assertEquals(CallStatus.FINISHED, library.hold(new CallId("held-40d"), null).get(10, TimeUnit.SECONDS));
            assertFalse(library.held("held-40d"));
            now.set(NOW.plus(DAY.multipliedBy(2)));
            scheduler.advanceMillis(DAY.toMillis());
            assertEquals("INFO audit: DELETE call held-40d by retention (started_at 2026-10-14T12:00:00Z, kept 30"
                    + " days): deleted", log.lineTexts().get(3));
            assertFalse(Files.exists(dir.resolve("held-40d")), "the lifted hold lets the next sweep delete it");
            assertEquals(2, retention.deleted());
            retention.close();
        }
    }

    @Test
    void aHeldCallSurvivesAnIndexRebuildAndRefusesDeletion() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(dir)) {
            recorder.record("held", NOW, 1);
        }
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(dir))) {
            library.built().get(10, TimeUnit.SECONDS);
            library.hold(new CallId("held"), new LegalHold(NOW, "alice", "")).get(10, TimeUnit.SECONDS);
        }
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(dir))) {
            library.built().get(10, TimeUnit.SECONDS);
            assertTrue(library.held("held"), "the file is the record");
            assertEquals(CallStore.DeleteOutcome.HELD, library.delete(new CallId("held")).get(10, TimeUnit.SECONDS));
            assertEquals(new LegalHold(NOW, "alice", ""), LegalHold.read(Files.readAllBytes(
                    dir.resolve("held").resolve("legal-hold.json"))));
            assertEquals(CallStatus.ABSENT, library.hold(new CallId("nope"), new LegalHold(NOW, "alice", ""))
                    .get(10, TimeUnit.SECONDS));
        }
    }
}
