package gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The append-only audit log of the QA API: one JSON line per event in {@code <dir>/audit-YYYY-MM-DD.jsonl} (the UTC
 * day of the event), each written and forced to disk before the next, on a thread of its own ("audit") so no
 * request waits for the disk. Lines are only ever appended and no file is rewritten; with a retention of N days,
 * the first event of each UTC day deletes the day files older than N days (the files of the last N days and today
 * stay).
 *
 * <p>Listening is one event per token, call and {@link #REPEAT_WINDOW}: a player fetches the audio in many range
 * requests, and a page opened again within the window is the same listen. Viewing call.json and downloading a file
 * are deduplicated the same way (per file); every other action is one line each time.
 */
final class AuditLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A repeated read of the same call's file by the same token within this is not a new event. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
    private static final Pattern FILE = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");

    /** One audited event: who ({@code actor}, a token name), when, what, which call (or null), from where. */
    record Event(Instant at, String actor, String action, String call, String client, String detail) {

        ObjectNode toJson() {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("at", at.toString()).put("actor", actor).put("action", action).put("call", call)
                    .put("client", client);
            if (detail != null) {
                n.put("detail", detail);
            }
            return n;
        }

        static Event of(JsonNode n) {
            JsonNode detail = n.path("detail");
            return new Event(Instant.parse(n.path("at").asText()), n.path("actor").asText(),
                    n.path("action").asText(), n.path("call").isTextual() ? n.path("call").asText() : null,
                    n.path("client").asText(), detail.isTextual() ? detail.asText() : null);
        }
    }

    /** What {@link #query} matches: bounds may be null, {@code call}/{@code actor}/{@code action} null for any. */
    record Filter(Instant since, Instant until, String call, String actor, String action) {

        boolean matches(Event e) {
            return (since == null || !e.at().isBefore(since)) && (until == null || e.at().isBefore(until))
                    && (call == null || call.equals(e.call())) && (actor == null || actor.equals(e.actor()))
                    && (action == null || action.equals(e.action()));
        }
    }

    /** A page of events, oldest first, and the offset of the next page (-1 when this was the last). */
    record Page(List<Event> events, long nextOffset) {
    }

    private final Path dir;
    private final InstantSource clock;
    private final ExecutorService writer;
    private final Map<String, Instant> lastRead = new ConcurrentHashMap<>();
    private final int retentionDays;
    /** Audit thread only: the day whose old files were last removed. */
    private LocalDate prunedOn;

    private AuditLog(Path dir, InstantSource clock, int retentionDays) {
        this.dir = dir;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "audit");
            t.setDaemon(true);
            return t;
        });
    }

    /** A log that keeps nothing (for parts of the API tested without one). */
    static AuditLog off(InstantSource clock) {
        return new AuditLog(null, clock, 0);
    }

    /** A log in {@code dir} (created when first written), timed by {@code clock}. */
    static AuditLog in(Path dir, InstantSource clock) {
        return in(dir, clock, 0);
    }

    /** As {@link #in(Path, InstantSource)}, keeping day files {@code retentionDays} days (0: for ever). */
    static AuditLog in(Path dir, InstantSource clock, int retentionDays) {
        return new AuditLog(dir, clock, retentionDays);
    }

    InstantSource clock() {
        return clock;
    }

    /** Appends an event of {@code exchange}'s sender; completes when it is on disk. Any thread; never blocks. */
    CompletableFuture<Void> record(Exchange exchange, String action, String call, String detail) {
        return append(new Event(clock.instant(), exchange.principal().name(), action, call,
                exchange.clientAddress(), detail));
    }

    /**
     * As {@link #record}, unless the same sender had the same {@code action} on the same call's {@code what}
     * within {@link #REPEAT_WINDOW}; then nothing is written.
     */
    void recordRead(Exchange exchange, String action, String call, String what) {
        Instant now = clock.instant();
        String key = exchange.principal().name() + '\n' + action + '\n' + call + '\n' + what;
        Instant[] fresh = new Instant[1];
        lastRead.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(REPEAT_WINDOW))) {
                fresh[0] = now;
                return now;
            }
            return last;
        });
        if (fresh[0] != null) {
            record(exchange, action, call, what);
        }
        if (lastRead.size() > 10_000) {
            lastRead.values().removeIf(at -> !now.isBefore(at.plus(REPEAT_WINDOW)));
        }
    }

    CompletableFuture<Void> append(Event event) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    write(event);
                    written.complete(null);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "audit event {0} {1} by {2} could not be written: {3}", event.action(),
                            event.call(), event.actor(), e.toString());
                    written.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    private void write(Event event) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        LocalDate day = LocalDate.ofInstant(event.at(), ZoneOffset.UTC);
        if (retentionDays > 0 && !day.equals(prunedOn)) {
            prune(day.minusDays(retentionDays));
            prunedOn = day;
        }
        Path file = dir.resolve("audit-" + day + ".jsonl");
        byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        }
    }

    /** Deletes the day files of days before {@code oldestKept}. Audit thread. */
    private void prune(LocalDate oldestKept) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = FILE.matcher(entry.getFileName().toString());
                if (m.matches() && LocalDate.parse(m.group(1)).isBefore(oldestKept)) {
                    Files.deleteIfExists(entry);
                    LOG.log(Level.INFO, "audit file {0} deleted: older than http.audit-retention-days ({1})",
                            entry.getFileName(), retentionDays);
                }
            }
        }
    }

    /** Events matching {@code filter}, oldest first, skipping {@code offset}, at most {@code limit}. Blocks on I/O. */
    Page query(Filter filter, long offset, int limit) throws IOException {
        List<Event> page = new ArrayList<>();
        long matched = 0;
        for (Path file : files(filter)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Event event;
                try {
                    event = Event.of(MAPPER.readTree(line));
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                if (!filter.matches(event)) {
                    continue;
                }
                if (matched++ < offset) {
                    continue;
                }
                if (page.size() == limit) {
                    return new Page(page, offset + limit);
                }
                page.add(event);
            }
        }
        return new Page(page, -1);
    }

    /** The day files that may hold events of {@code filter}'s span, oldest first. */
    private List<Path> files(Filter filter) throws IOException {
        List<Path> files = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return files;
        }
        LocalDate first = filter.since() == null ? null : LocalDate.ofInstant(filter.since(), ZoneOffset.UTC);
        LocalDate last = filter.until() == null ? null : LocalDate.ofInstant(filter.until(), ZoneOffset.UTC);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = FILE.matcher(entry.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                LocalDate day = LocalDate.parse(m.group(1));
                if ((first == null || !day.isBefore(first)) && (last == null || !day.isAfter(last))) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
