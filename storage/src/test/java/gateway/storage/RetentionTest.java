package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallLibrary;
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
}
