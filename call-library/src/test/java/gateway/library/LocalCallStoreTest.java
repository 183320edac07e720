package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only plain directories and files directly under the root are read; links are never followed. */
class LocalCallStoreTest {

    @TempDir
    Path base;
    private Path root;
    private Path outside;
    private LocalCallStore store;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(base.resolve("recordings"));
        outside = new FixtureCall("outside", Instant.EPOCH).writeTo(base);
        Files.writeString(outside.resolve("audio.wav"), "SECRET");
        store = new LocalCallStore(root);
    }

    @Test
    void aCallIsFinishedOnceItsCallJsonIsThere() throws Exception {
        Path dir = Files.createDirectories(root.resolve("c1"));
        assertEquals(CallStatus.IN_PROGRESS, store.status(new CallId("c1")));
        Files.writeString(dir.resolve("call.json"), "{}");
        assertEquals(CallStatus.FINISHED, store.status(new CallId("c1")));
        assertEquals(CallStatus.ABSENT, store.status(new CallId("c2")));
        try (StoredFile f = store.open(new CallId("c1"), CallFile.CALL_JSON).orElseThrow()) {
            assertEquals("{}", new String(f.readAll(), StandardCharsets.UTF_8));
            assertEquals(2, f.size());
            assertTrue(f.localChannel().isPresent());
        }
        assertEquals(Optional.empty(), store.open(new CallId("c1"), CallFile.AUDIO));
    }

    @Test
    void linksAreNeverFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("linked"), outside);
        Path real = new FixtureCall("real", Instant.EPOCH).writeTo(root);
        Files.createSymbolicLink(real.resolve("audio.wav"), outside.resolve("audio.wav"));
        assertEquals(CallStatus.ABSENT, store.status(new CallId("linked")));
        assertEquals(Optional.empty(), store.open(new CallId("linked"), CallFile.CALL_JSON));
        assertEquals(Optional.empty(), store.open(new CallId("real"), CallFile.AUDIO));
        assertEquals(List.of(new CallId("real")), store.ids());

        assertEquals(CallStore.DeleteOutcome.DELETED, store.delete(new CallId("real")));
        assertEquals("SECRET", Files.readString(outside.resolve("audio.wav")), "deleting removed the link only");
        assertEquals(CallStore.DeleteOutcome.ABSENT, store.delete(new CallId("linked")));
        assertTrue(Files.exists(outside.resolve("call.json")));
    }

    @Test
    void idsAreOnlyPlainDirectoriesWithSafeNames() throws Exception {
        Files.createDirectories(root.resolve("a-1.b_2"));
        Files.createDirectories(root.resolve("with space"));
        Files.writeString(root.resolve("file-not-dir"), "x");
        assertEquals(List.of(new CallId("a-1.b_2")), store.ids());
        assertThrows(IllegalArgumentException.class, () -> new CallId(".."));
        assertThrows(IllegalArgumentException.class, () -> new CallId("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new CallId("x".repeat(CallId.MAX_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> new CallId("nul\0"));
    }

    @Test
    void aDeletionACrashInterruptedIsFinishedByTheNextListing() throws Exception {
        new FixtureCall("kept", Instant.EPOCH).writeTo(root);
        Path half = Files.createDirectories(root.resolve("gone" + LocalCallStore.DELETING_MARK + "1f"));
        Files.writeString(half.resolve("audio.wav"), "x");
        assertEquals(List.of(new CallId("kept")), store.ids());
        assertFalse(Files.exists(half));
    }
}
