package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.PlantedSpeech;
import gateway.testkit.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls recorded before the analytics existed: a call.json without {@code analytics} beside an audio.wav with planted
 * latency, talk-over and dead air is measured in the background once the index is built, its call.json gains the
 * figures (marked remeasured, every other field kept) and the index filters, sorts and counts it; a call without
 * audio, a call under legal hold, a call still recorded and a call measured already are left alone.
 */
class AnalyticsBackfillTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final String OLD = "20261120T090000Z-0000old1";
    private static final String NO_AUDIO = "20261120T091000Z-0000old2";
    private static final String RECORDING = "20261120T092000Z-0000live";
    private static final String HELD = "20261120T093000Z-0000held";
    private static final AnalyticsBackfill.Settings FAST = new AnalyticsBackfill.Settings(1_000,
            ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);

    @TempDir
    Path root;

    private static void near(long expected, long actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 20, what + ": expected " + expected + " ± 20 ms, got " + actual);
    }

    /** The planted call: a 700 ms reply, 500 ms of talk-over, a slow 1900 ms reply and 4 s of dead air. */
    private Path plantOldCall() throws Exception {
        return plantOldCall(OLD, T0);
    }

    private Path plantOldCall(String id, Instant startedAt) throws Exception {
        Path dir = new FixtureCall(id, startedAt).duration(20_000).turn("caller", 1_000, 3_000, "Hello there")
                .turn("assistant", 3_700, 6_000, "Hi, how can I help?").writeTo(root);
        PlantedSpeech speech = new PlantedSpeech(20_000)
                .caller(1_000, 3_000).agent(3_700, 6_000)
                .caller(10_000, 12_500).agent(12_000, 14_000)
                .caller(14_900, 15_400).agent(17_300, 18_000);
        WavWriter.write(dir.resolve(RecordingFormat.AUDIO_FILE), RecordingFormat.SAMPLE_RATE,
                speech.callerChannel(), speech.agentChannel());
        return dir;
    }

    private static IndexedCall only(CallLibrary library, CallQuery query) {
        List<IndexedCall> calls = library.list(query).orElseThrow().calls();
        assertEquals(1, calls.size(), calls.toString());
        return calls.get(0);
    }

    @Test
    void anOlderCallIsMeasuredFromItsAudioAndIndexedWithTheFigures() throws Exception {
        Path dir = plantOldCall();
        new FixtureCall(NO_AUDIO, T0.plusSeconds(600)).writeTo(root);
        Path held = plantOldCall(HELD, T0.plusSeconds(1800));
        Files.writeString(held.resolve(RecordingFormat.LEGAL_HOLD_FILE), "{}");
        byte[] heldBefore = Files.readAllBytes(held.resolve(RecordingFormat.CALL_JSON_FILE));
        Path live = Files.createDirectories(root.resolve(RECORDING));
        WavWriter.write(live.resolve(RecordingFormat.AUDIO_FILE), RecordingFormat.SAMPLE_RATE, new short[480],
                new short[480]);
        byte[] before = Files.readAllBytes(dir.resolve(RecordingFormat.CALL_JSON_FILE));
        assertNull(CallJson.read(before).analytics(), "the fixture is an older call");

        try (CallLibrary library = CallLibrary.open(new LocalCallStore(root), FAST)) {
            Await.until(() -> library.ready() && library.backfill().idle()
                    && library.backfill().counts().measured() == 1, Duration.ofSeconds(10),
                    () -> library.backfill().counts().toString());
            Await.until(() -> library.backfill().counts().skipped() == 2, Duration.ofSeconds(10),
                    () -> library.backfill().counts().toString());
            assertEquals(new AnalyticsBackfill.Counts(3, 1, 2, 0, 0), library.backfill().counts(),
                    "the calls without audio.wav and under legal hold are skipped; the one still recorded is never"
                            + " offered");

            CallQuery slow = new CallQuery(null, null, null, null, 0, null, List.of(), 10, null,
                    new CallQuery.AnalyticsFilter(1_800, 3_500, true));
            CallAnalytics a = only(library, slow).analytics();
            assertEquals(OLD, only(library, slow).id());
            assertTrue(a.remeasured());
            assertEquals(2, a.responses());
            near(1_900, a.latencyP95Ms(), "p95 reply time");
            near(700, a.latencyP50Ms(), "median reply time");
            near(500, a.talkOverMs(), "talk-over");
            assertEquals(1, a.talkOverCount());
            assertEquals(1, a.deadAirCount());
            near(4_000, a.longestDeadAirMs(), "dead air");
            near(6_000, a.deadAirs().get(0).startMs(), "dead air starts");
            assertEquals(List.of(OLD, HELD, NO_AUDIO), library.list(new CallQuery(null, null, null, null, 0, null,
                    List.of(), 10, null, null, null, CallSort.P95_LATENCY, 0)).orElseThrow().calls().stream()
                    .map(IndexedCall::id).toList(), "sorted worst first, the call without analytics last");
            CallStats stats = library.stats(new StatsQuery(T0.minusSeconds(3600), T0.plusSeconds(3600), null,
                    StatsQuery.Bucket.HOUR)).orElseThrow();
            assertEquals(1, stats.buckets().stream().mapToInt(CallStats.Bucket::analysed).sum());

            byte[] after = Files.readAllBytes(dir.resolve(RecordingFormat.CALL_JSON_FILE));
            JsonNode written = MAPPER.readTree(after);
            assertTrue(written.path("analytics").path("remeasured").asBoolean());
            near(1_900, written.path("analytics").path("latency_p95_ms").asLong(), "call.json p95");
            assertEquals(1, written.path("analytics").path("caller_turns").asInt(), "the counts from the log");
            JsonNode original = MAPPER.readTree(before);
            original.fieldNames().forEachRemaining(field -> assertEquals(original.get(field), written.get(field),
                    field + " is kept as it was"));
            assertFalse(Files.exists(live.resolve(RecordingFormat.CALL_JSON_FILE)), "a call being recorded");
            assertEquals(new String(heldBefore), Files.readString(held.resolve(RecordingFormat.CALL_JSON_FILE)),
                    "a held call's files stay as they were");
        }

        byte[] measured = Files.readAllBytes(dir.resolve(RecordingFormat.CALL_JSON_FILE));
        try (CallLibrary again = CallLibrary.open(new LocalCallStore(root), FAST)) {
            again.built().get();
            Await.until(() -> again.backfill().idle(), Duration.ofSeconds(10), () -> again.backfill().counts()
                    .toString());
            assertEquals(2, again.backfill().counts().queued(), "the calls without analytics are offered again");
            assertNotNull(again.list(CallQuery.newest(10)).orElseThrow().calls().stream()
                    .filter(c -> c.id().equals(OLD)).findFirst().orElseThrow().analytics());
        }
        assertEquals(new String(measured), Files.readString(dir.resolve(RecordingFormat.CALL_JSON_FILE)),
                "a measured call is not written again");
    }

    @Test
    void withTheBackfillOffOlderCallsStayAsTheyWere() throws Exception {
        Path dir = plantOldCall();
        byte[] before = Files.readAllBytes(dir.resolve(RecordingFormat.CALL_JSON_FILE));
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(root))) {
            library.built().get();
            assertEquals(new AnalyticsBackfill.Counts(0, 0, 0, 0, 0), library.backfill().counts());
            assertNull(library.list(CallQuery.newest(10)).orElseThrow().calls().get(0).analytics());
        }
        assertEquals(new String(before), Files.readString(dir.resolve(RecordingFormat.CALL_JSON_FILE)));
    }
}
