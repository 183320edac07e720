package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Measures the QA API's call index at scale: writes N synthetic call directories ({@link SyntheticCalls}; kept and
 * reused when the directory already holds exactly N), opens a {@link CallLibrary} on them as the gateway does, and
 * reports the start-up build time, the heap the index keeps, and the latency of list queries (first page, filters,
 * word search, a deep cursor, walking every page).
 *
 * <p>Not part of the test run (its name does not end in Test): {@code bench/call-index.sh [calls] [dir]} runs it
 * through Surefire with {@code -Dtest=CallIndexBench -Dcalls=… -Ddir=…} (defaults 100000 and
 * /tmp/call-index-bench). Besides the figures it checks that every page walk sees every call once.
 */
class CallIndexBench {

    private static final int DEFAULT_CALLS = 100_000;
    private static final long SEED = 20_261_130L;
    /** Timed runs per query after as many warm-up runs. */
    private static final int RUNS = 200;
    private static final int PAGE = 50;
    private static final String MARKER = "bench-calls.txt";

    @Test
    void measure() throws Exception {
        int calls = Integer.getInteger("calls", DEFAULT_CALLS);
        Path dir = Path.of(System.getProperty("dir", "/tmp/call-index-bench"));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "# call index benchmark, %s, JDK %s, %d cores, -Xmx %d MB%n", Instant.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        generate(dir, calls, out);

        String loadAverage = String.format(Locale.ROOT, "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long heapBefore = usedHeapAfterGc();
        CallLibrary library = CallLibrary.open(new LocalCallStore(dir));
        CallLibrary.BuildReport report = library.built().get();
        long heapAfter = usedHeapAfterGc();
        out.printf(Locale.ROOT, "start-up index build: %d calls in %d ms wall, %d ms CPU (%.1f µs CPU per call), "
                + "%d unreadable; load average before: %s%n", report.calls(), report.millis(), report.cpuMillis(),
                report.cpuMillis() * 1000.0 / report.calls(), report.unreadable(), loadAverage);
        out.printf(Locale.ROOT, "heap kept by the index: %.1f MB (%.0f bytes per call); vocabulary %d words%n",
                (heapAfter - heapBefore) / 1e6, (heapAfter - heapBefore) / (double) report.calls(),
                index(library).vocabularySize());

        CallPage first = library.list(CallQuery.newest(PAGE)).orElseThrow();
        ListPosition middle = middlePosition(library, report.calls());
        out.println();
        out.println("query (limit " + PAGE + ")                                   results"
                + "  median ms   p99 ms   max ms");
        time(out, "first page", () -> library.list(CallQuery.newest(PAGE)).orElseThrow());
        time(out, "second page (cursor)", () -> library.list(query(null, List.of(), 0, null, first.next()))
                .orElseThrow());
        time(out, "deep cursor (half way down the list)", () -> library.list(
                query(null, List.of(), 0, null, middle)).orElseThrow());
        time(out, "end_reason=realtime_lost", () -> library.list(
                query("realtime_lost", List.of(), 0, null, null)).orElseThrow());
        time(out, "min_duration_ms=900000 (rare)", () -> library.list(
                query(null, List.of(), 900_000, null, null)).orElseThrow());
        time(out, "from=5550000 (substring, rare)", () -> library.list(
                query(null, List.of(), 0, "5550000", null)).orElseThrow());
        time(out, "q=<most frequent word>", () -> library.list(
                query(null, List.of(SyntheticCalls.word(0)), 0, null, null)).orElseThrow());
        time(out, "q=<word of rank 100, ~40% of calls>", () -> library.list(
                query(null, List.of(SyntheticCalls.word(100)), 0, null, null)).orElseThrow());
        time(out, "q=<word of rank 15000, ~0.3% of calls>", () -> library.list(
                query(null, List.of(SyntheticCalls.word(15_000)), 0, null, null)).orElseThrow());
        time(out, "q=<two words of rank 2000 and 3000>", () -> library.list(query(null,
                List.of(SyntheticCalls.word(2000), SyntheticCalls.word(3000)), 0, null, null)).orElseThrow());
        time(out, "q=<word no call has>", () -> library.list(
                query(null, List.of("zzzz"), 0, null, null)).orElseThrow());
        time(out, "since/until: one day", () -> library.list(new CallQuery(
                Instant.parse("2026-02-10T00:00:00Z"), Instant.parse("2026-02-11T00:00:00Z"), null, null, 0, null,
                List.of(), PAGE, null)).orElseThrow());
        assertEquals(PAGE, first.calls().size());
        assertEquals(calls, walkAll(out, library), "every call is on exactly one page");
        library.close();
    }

    private static CallQuery query(String endReason, List<String> words, long minDuration, String from,
                                   ListPosition after) {
        return new CallQuery(null, null, from, null, minDuration, endReason, words, PAGE, after);
    }

    private static void generate(Path dir, int calls, PrintStream out) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (Files.exists(marker) && Files.readString(marker).strip().equals(Integer.toString(calls))) {
            out.printf(Locale.ROOT, "reusing %d calls in %s%n", calls, dir);
            return;
        }
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists and does not hold " + calls + " benchmark calls; remove it first");
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        SyntheticCalls synthetic = new SyntheticCalls(SEED);
        long bytes = 0;
        for (int n = 0; n < calls; n++) {
            bytes += synthetic.write(dir, n);
        }
        Files.writeString(marker, Integer.toString(calls));
        out.printf(Locale.ROOT, "wrote %d call.json files, %.1f MB (mean %.1f KB) in %d s%n", calls, bytes / 1e6,
                bytes / 1e3 / calls, (System.nanoTime() - t0) / 1_000_000_000);
    }

    /** Runs a query RUNS times after RUNS warm-up runs and prints its result count and latency. */
    private static void time(PrintStream out, String name, Supplier<CallPage> query) {
        for (int i = 0; i < RUNS; i++) {
            query.get();
        }
        long[] nanos = new long[RUNS];
        int results = 0;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            results = query.get().calls().size();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        out.printf(Locale.ROOT, "%-58s %7d %10.3f %8.3f %8.3f%n", name, results, nanos[RUNS / 2] / 1e6,
                nanos[RUNS * 99 / 100] / 1e6, nanos[RUNS - 1] / 1e6);
    }

    private static int walkAll(PrintStream out, CallLibrary library) {
        long t0 = System.nanoTime();
        int pages = 0;
        int seen = 0;
        ListPosition after = null;
        do {
            CallPage page = library.list(query(null, List.of(), 0, null, after)).orElseThrow();
            pages++;
            seen += page.calls().size();
            after = page.next();
        } while (after != null);
        out.printf(Locale.ROOT, "walking every page with the cursor: %d pages, %d calls, %d ms%n", pages, seen,
                (System.nanoTime() - t0) / 1_000_000);
        return seen;
    }

    private static ListPosition middlePosition(CallLibrary library, int calls) {
        ListPosition after = null;
        List<IndexedCall> page = new ArrayList<>();
        for (int seen = 0; seen < calls / 2; seen += page.size()) {
            CallPage p = library.list(query(null, List.of(), 0, null, after)).orElseThrow();
            page = p.calls();
            after = p.next();
        }
        return after;
    }

    private static CallIndex index(CallLibrary library) throws ReflectiveOperationException {
        var field = CallLibrary.class.getDeclaredField("index");
        field.setAccessible(true);
        return (CallIndex) field.get(library);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
