package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallDocumentTest {

    private static final Instant T = Instant.parse("2026-11-30T18:01:02.345Z");

    @Test
    void theSummaryCarriesWhatAListLineShows() throws Exception {
        FixtureCall fixture = new FixtureCall("20261130T180102Z-9f3a1c2e", T).duration(12_345)
                .turn("caller", 100, 900, "Hi there.").turn("assistant", 1000, 2000, "Hello!");
        fixture.holds = 2;
        fixture.sessions = 3;
        CallDocument doc = read(fixture.json());
        assertEquals(new IndexedCall("20261130T180102Z-9f3a1c2e", "call-20261130T180102Z-9f3a1c2e@198.51.100.7",
                "sip:+15550001111@198.51.100.7", "sip:agent@gateway.example.com", T, T.plusMillis(12_370), 12_345,
                "PCMU", "caller_bye", 2, 2, 3, true, "Caller: Hi there. Assistant: Hello!", null, null), doc.call(),
                "a call.json without a profile reads with none");
        assertEquals(List.of("Hi there.", "Hello!"), doc.turnTexts());
    }

    @Test
    void theExcerptStopsAtAWordBoundaryWithAnEllipsis() throws Exception {
        String words = "one two three four five six seven eight nine ten ".repeat(6).strip();
        FixtureCall fixture = new FixtureCall("x", T).turn("caller", 0, 1, words).turn("assistant", 2, 3, "never");
        String excerpt = read(fixture.json()).call().excerpt();
        assertEquals("Caller: " + "one two three four five six seven eight nine ten ".repeat(3) + "one…", excerpt);
        assertTrue(excerpt.length() <= CallDocument.EXCERPT_CHARS, excerpt);
    }

    @Test
    void completenessComesFromTheRecordingObjectElseFromTheRecorderCounters() throws Exception {
        FixtureCall clean = new FixtureCall("a", T);
        assertTrue(read(clean.json()).call().complete());
        FixtureCall dropped = new FixtureCall("b", T);
        dropped.droppedChunks = 2;
        assertFalse(read(dropped.json()).call().complete());
        FixtureCall crashed = new FixtureCall("c", T).endReason("gateway_crash");
        assertFalse(read(crashed.json()).call().complete());
        FixtureCall said = new FixtureCall("d", T);
        said.droppedChunks = 2;
        said.recordingComplete = true;
        assertTrue(read(said.json()).call().complete(), "recording.complete wins");
        said.recordingComplete = false;
        said.droppedChunks = 0;
        assertFalse(read(said.json()).call().complete());
    }

    @Test
    void onlyIdAndStartAreRequired() throws Exception {
        IndexedCall bare = read(
                "{\"id\":\"bare\",\"started_at\":\"2026-11-30T18:01:02.345Z\"}".getBytes(StandardCharsets.UTF_8))
                .call();
        assertEquals(new IndexedCall("bare", null, null, null, T, null, 0, null, null, 0, 0, 0, true, "", null, null),
                bare);
        assertNull(bare.endReason());
        assertThrows(IOException.class, () -> read("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> read(
                "{\"id\":\"../x\",\"started_at\":\"2026-11-30T18:01:02.345Z\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> read("[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> read("{\"id\":".getBytes(StandardCharsets.UTF_8)));
    }

    private static CallDocument read(byte[] json) throws IOException {
        return CallDocument.of(CallJson.read(json));
    }
}
