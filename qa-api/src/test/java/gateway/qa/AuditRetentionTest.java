package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.audit-retention-days}: the first event of a day removes the day files older than the retention. */
class AuditRetentionTest {

    @TempDir
    Path dir;

    private static AuditLog.Event event(Instant at) {
        return new AuditLog.Event(at, "alice", "list", null, "127.0.0.1:1", null);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void dayFilesOlderThanTheRetentionGoAtTheFirstEventOfADay() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-10-01T12:00:00Z"));
        try (AuditLog log = AuditLog.in(dir, now::get, 30)) {
            for (String day : List.of("2026-10-01", "2026-10-16", "2026-10-17", "2026-11-15")) {
                log.append(event(Instant.parse(day + "T12:00:00Z"))).get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of("audit-2026-10-16.jsonl", "audit-2026-10-17.jsonl", "audit-2026-11-15.jsonl"),
                    files(), "the 15th keeps the 30 days before it: 16 October on");
            log.append(event(Instant.parse("2026-11-16T00:00:00Z"))).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("audit-2026-10-17.jsonl", "audit-2026-11-15.jsonl", "audit-2026-11-16.jsonl"),
                    files());
        }
        try (AuditLog keepAll = AuditLog.in(dir, now::get)) {
            keepAll.append(event(Instant.parse("2027-06-01T00:00:00Z"))).get(10, TimeUnit.SECONDS);
            assertEquals(4, files().size(), "no retention: nothing is deleted");
        }
    }
}
