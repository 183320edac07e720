package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallQuery;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.IndexedCall;
import gateway.library.LegalHold;
import gateway.library.MonoWav;
import gateway.library.StoredFile;
import gateway.library.WavCodec;
import gateway.testkit.Await;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import gateway.time.ManualScheduler;
import gateway.time.Scheduler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool, the uploader and the tiered store against S3Proxy, with calls written by the real recorder and time
 * on a {@link ManualScheduler}: uploads byte for byte with their checksums, an outage with back-off, a restart of
 * the uploader, reads of calls whose local copy was removed, deletes.
 */
class ObjectStorageIT {

    private static final String BUCKET = "recordings";
    private static final String PREFIX = "gw1/";
    private static final long SEED = 20261123;
    private static final int RETRY_MIN_MS = 1000;
    private static final int RETRY_MAX_MS = 8000;
    /** The production back-off's cap (storage.retry-max-ms): 5 min. */
    private static final int HOUR_RETRY_MAX_MS = 300_000;
    private static final long HOUR_MS = 3_600_000;
    private static final long STEP_MS = 1000;
    /** During the hour a call finishes every 5 min. */
    private static final long CALL_EVERY_MS = 300_000;
    private static final Instant STARTED = Instant.parse("2026-11-23T18:01:00Z");
    private static final Instant NOW = Instant.parse("2026-11-23T19:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<CallFile> FILES = List.of(CallFile.AUDIO, CallFile.CAPTIONS_VTT, CallFile.CAPTIONS_SRT,
            CallFile.CALL_JSON);

    @TempDir
    static Path s3Dir;
    private static S3Server server;

    @TempDir
    Path recordings;
    private RecordedCalls recorder;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> uploaded = new CopyOnWriteArrayList<>();
    private final List<ObjectStorage> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(s3Dir, BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void startRecorder() {
        recorder = new RecordedCalls(recordings);
    }

    @AfterEach
    void close() throws Exception {
        opened.forEach(ObjectStorage::close);
        recorder.close();
        server.start();
    }

    private ObjectStorage storage(boolean keepLocal) throws Exception {
        return storage(keepLocal, RETRY_MAX_MS);
    }

    private ObjectStorage storage(boolean keepLocal, int retryMaxMs) throws Exception {
        StorageSettings config = server.settings(BUCKET, PREFIX, S3Server.SECRET_KEY, "", "", RETRY_MIN_MS,
                retryMaxMs);
        ObjectStorage storage = ObjectStorage.assemble(S3ObjectStore.open(config), config, recordings, keepLocal,
                true, scheduler, scheduler, new Random(SEED), InstantSource.fixed(NOW), uploaded::add, List.of());
        opened.add(storage);
        return storage;
    }

    @Test
    void aFinishedCallIsUploadedByteForByteWithItsChecksumsInCallJson() throws Exception {
        Path dir = recorder.record("call-a", STARTED, 2);
        byte[] recordedJson = Files.readAllBytes(dir.resolve("call.json"));
        ObjectStorage storage = storage(true);
        scheduler.runDue();

        assertEquals(List.of("call-a"), uploaded);
        JsonNode callJson = JSON.readTree(dir.resolve("call.json").toFile());
        for (CallFile file : List.of(CallFile.AUDIO, CallFile.CAPTIONS_VTT, CallFile.CAPTIONS_SRT)) {
            byte[] local = Files.readAllBytes(dir.resolve(file.fileName()));
            assertArrayEquals(local, object("call-a", file), file.fileName());
            assertEquals(sha256(local), callJson.path("files").path(file.fileName()).path("sha256").asText());
            assertEquals(local.length, callJson.path("files").path(file.fileName()).path("bytes").asLong());
        }
        assertEquals(2 * RecordedCalls.RATE * 4 + 44, callJson.path("files").path("audio.wav").path("bytes").asLong());
        ObjectNode withoutFiles = (ObjectNode) callJson.deepCopy();
        withoutFiles.remove("files");
        assertEquals(JSON.readTree(recordedJson), withoutFiles, "nothing else in call.json changes");
        byte[] finalJson = Files.readAllBytes(dir.resolve("call.json"));
        assertArrayEquals(finalJson, object("call-a", CallFile.CALL_JSON));

        JsonNode record = JSON.readTree(dir.resolve("storage.json").toFile());
        assertEquals(BUCKET, record.path("bucket").asText());
        assertEquals(NOW.toString(), record.path("uploaded_at").asText());
        assertEquals("gw1/call-a/call.json", record.path("objects").path("call.json").path("key").asText());
        assertEquals(sha256(finalJson), record.path("objects").path("call.json").path("sha256").asText());
        assertEquals("gw1/call-a/audio.wav", record.path("objects").path("audio.wav").path("key").asText());

        long total = 0;
        for (CallFile file : FILES) {
            total += Files.size(dir.resolve(file.fileName()));
        }
        assertEquals(1, storage.stats().uploadedCalls());
        assertEquals(total, storage.stats().uploadedBytes());
        assertEquals(0, storage.stats().pending());
        assertEquals(0, storage.stats().failures());
    }

    /**
     * Uploads and listings have a thread each (real threads here): a listing of the bucket that takes long (a big
     * bucket, a slow store) holds no finished call back from it.
     */
    @Test
    void aListingThatTakesLongHoldsNoFinishedCallBack() throws Exception {
        StorageSettings config = server.settings(BUCKET, PREFIX, S3Server.SECRET_KEY, "", "", RETRY_MIN_MS,
                RETRY_MAX_MS);
        GatedListing gated = new GatedListing(S3ObjectStore.open(config));
        ScheduledExecutorService uploads = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService refreshes = Executors.newSingleThreadScheduledExecutor();
        ObjectStorage storage = ObjectStorage.assemble(gated, config, recordings, true, true, Scheduler.on(uploads),
                Scheduler.on(refreshes), new Random(SEED), InstantSource.fixed(NOW), uploaded::add,
                List.of(uploads, refreshes));
        opened.add(storage);
        try (CallLibrary library = CallLibrary.open(storage.store())) {
            library.built().get(10, TimeUnit.SECONDS);
            storage.keepIndexCurrent(library, Duration.ZERO);
            assertTrue(gated.listing.await(30, TimeUnit.SECONDS), "the refresh lists the bucket");

            Path dir = recorder.record("call-s", STARTED, 1);
            storage.callFinished("call-s");
            Await.until(() -> uploaded.contains("call-s"), Duration.ofSeconds(30), () -> "uploaded " + uploaded);
            assertEquals(1, gated.release.getCount(), "uploaded while the listing still waits");
            assertArrayEquals(Files.readAllBytes(dir.resolve(CallFile.AUDIO.fileName())), object("call-s",
                    CallFile.AUDIO));

            gated.release.countDown();
            storage.firstListing().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void duringAnOutageCallsWaitWithGrowingBackoffAndLandWhenStorageIsBack() throws Exception {
        server.stop();
        ObjectStorage storage = storage(true);
        scheduler.runDue();
        Path first = recorder.record("call-b", STARTED, 1);
        Path second = recorder.record("call-c", STARTED.plusSeconds(5), 1);
        storage.callFinished("call-b");
        storage.callFinished("call-c");
        scheduler.runDue();
        assertEquals(1, storage.stats().failures());
        assertEquals(2, storage.stats().pending());

        Backoff twin = new Backoff(RETRY_MIN_MS, RETRY_MAX_MS, new Random(SEED));
        for (int failures = 1; failures <= 3; failures++) {
            long wait = twin.failed();
            assertTrue(wait >= twin.ceiling(failures) / 2 && wait <= twin.ceiling(failures), "jitter in range");
            scheduler.advanceMillis(wait - 1);
            assertEquals(failures, storage.stats().failures(), "no attempt before the back-off has passed");
            scheduler.advanceMillis(1);
            assertEquals(failures + 1, storage.stats().failures(), "an attempt as soon as it has");
        }
        assertEquals(List.of(), uploaded);
        assertFalse(Files.exists(first.resolve("storage.json")));

        server.start();
        scheduler.advanceMillis(twin.failed());
        assertEquals(List.of("call-b", "call-c"), List.copyOf(uploaded).stream().sorted().toList());
        assertEquals(0, storage.stats().pending());
        for (Path dir : List.of(first, second)) {
            String id = dir.getFileName().toString();
            for (CallFile file : FILES) {
                assertArrayEquals(Files.readAllBytes(dir.resolve(file.fileName())), object(id, file));
            }
        }
    }

    @Test
    void aBucketDownForAnHourLosesNoCallRetriesAtMostEveryFewMinutesAndUploadsEveryCallWhenBack() throws Exception {
        server.stop();
        ObjectStorage storage = storage(true, HOUR_RETRY_MAX_MS);
        scheduler.runDue();
        List<String> ids = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (long ms = 0; ms < HOUR_MS; ms += STEP_MS) {
            if (ms % CALL_EVERY_MS == 0) {
                String id = "hour-" + ms / CALL_EVERY_MS;
                dirs.add(recorder.record(id, STARTED.plusMillis(ms), 1));
                ids.add(id);
                storage.callFinished(id);
            }
            scheduler.advanceMillis(STEP_MS);
        }
        // 1 s doubling: nine attempts (waits of 0.5-1 s up to 128-256 s) reach the 5 min cap, then one every
        // 2.5-5 min: 9 + (3600 - 511) / 300 at least, 9 + (3600 - 255.5) / 150 at most, and the first attempt.
        long failures = storage.stats().failures();
        assertTrue(failures >= 9 + 10 && failures <= 1 + 9 + 23, failures + " attempts in the hour");
        assertEquals(ids.size(), storage.stats().pending(), "every call that finished meanwhile waits on disk");
        assertEquals(List.of(), uploaded);
        for (Path dir : dirs) {
            assertTrue(Files.isRegularFile(dir.resolve("call.json")), "recorded locally: " + dir);
            assertFalse(Files.exists(dir.resolve("storage.json")), "not uploaded: " + dir);
        }

        server.start();
        scheduler.advanceMillis(HOUR_RETRY_MAX_MS);
        assertEquals(ids, List.copyOf(uploaded).stream().sorted(
                Comparator.comparingInt(id -> Integer.parseInt(id.substring("hour-".length())))).toList());
        assertEquals(0, storage.stats().pending());
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            for (CallFile file : FILES) {
                assertArrayEquals(Files.readAllBytes(dir.resolve(file.fileName())), object(id, file), id + "/" + file);
            }
            assertTrue(Files.isRegularFile(dir.resolve("storage.json")));
        }
    }

    @Test
    void aRestartedUploaderFindsPendingCallsAndTheApiStoreReadsThemFromTheBucket() throws Exception {
        server.stop();
        ObjectStorage before = storage(false);
        Path dir = recorder.record("call-d", STARTED, 12);
        byte[] audio = Files.readAllBytes(dir.resolve("audio.wav"));
        short[] assistantChannel = WavReader.read(dir.resolve("audio.wav")).channel(1);
        byte[] vtt = Files.readAllBytes(dir.resolve("captions.vtt"));
        before.callFinished("call-d");
        scheduler.runDue();
        assertEquals(1, before.stats().pending());
        before.close();
        opened.remove(before);

        server.start();
        ObjectStorage after = storage(false);
        scheduler.runDue();
        assertEquals(List.of("call-d"), uploaded);
        assertFalse(Files.exists(dir.resolve("audio.wav")), "keep-local=false removes the audio once verified");
        assertFalse(Files.exists(dir.resolve("captions.vtt")));
        assertTrue(Files.exists(dir.resolve("call.json")), "call.json stays for the index");
        assertArrayEquals(audio, object("call-d", CallFile.AUDIO));

        CallStore store = after.store();
        CallId id = new CallId("call-d");
        assertEquals(CallStatus.FINISHED, store.status(id));
        try (StoredFile remote = store.open(id, CallFile.AUDIO).orElseThrow()) {
            assertTrue(remote.localChannel().isEmpty(), "read from the bucket");
            assertEquals(audio.length, remote.size());
            assertArrayEquals(audio, readRange(remote, 0, audio.length));
            assertTrue(audio.length > RemoteFile.WINDOW_BYTES, "more than one GET");
            assertArrayEquals(Arrays.copyOfRange(audio, 1_000_003, 1_100_001),
                    readRange(remote, 1_000_003, 1_100_001 - 1_000_003));
            MonoWav assistant = MonoWav.of(WavCodec.layout(remote), 1);
            ByteBuffer mono = ByteBuffer.allocate((int) assistant.length());
            while (mono.hasRemaining()) {
                assistant.read(remote, mono.position(), mono);
            }
            assertArrayEquals(WavWriter.bytes(RecordedCalls.RATE, assistantChannel), mono.array(),
                    "the assistant channel as the testkit reads it, in a WAV of its own");
        }
        try (StoredFile captions = store.open(id, CallFile.CAPTIONS_VTT).orElseThrow()) {
            assertArrayEquals(vtt, captions.readAll());
        }
    }

    @Test
    void aDeleteRemovesTheObjectsAndThenTheLocalFolder() throws Exception {
        Path dir = recorder.record("call-e", STARTED, 1);
        ObjectStorage storage = storage(true);
        scheduler.runDue();
        assertTrue(Files.exists(server.objectFile(BUCKET, "gw1/call-e/audio.wav")));

        assertEquals(CallStore.DeleteOutcome.DELETED, storage.store().delete(new CallId("call-e")));
        for (CallFile file : FILES) {
            assertFalse(Files.exists(server.objectFile(BUCKET, "gw1/call-e/" + file.fileName())), file.fileName());
        }
        assertFalse(Files.exists(dir));
        assertEquals(CallStore.DeleteOutcome.ABSENT, storage.store().delete(new CallId("call-e")));
    }

    @Test
    void aCallOnlyTheBucketHoldsIsListedAndRead() throws Exception {
        Path dir = recorder.record("call-f", STARTED, 1);
        ObjectStorage storage = storage(true);
        scheduler.runDue();
        byte[] callJson = Files.readAllBytes(dir.resolve("call.json"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);

        CallId id = new CallId("call-f");
        assertEquals(CallStatus.FINISHED, storage.store().status(id));
        try (StoredFile remote = storage.store().open(id, CallFile.CALL_JSON).orElseThrow()) {
            assertArrayEquals(callJson, remote.readAll());
        }
        assertEquals(CallStatus.ABSENT, storage.store().status(new CallId("call-none")));
        try (CallLibrary library = CallLibrary.open(storage.store())) {
            library.built().get(10, TimeUnit.SECONDS);
            storage.keepIndexCurrent(library, Duration.ZERO);
            scheduler.runDue();
            storage.refresh().applied().get(10, TimeUnit.SECONDS);
            assertTrue(library.list(CallQuery.newest(100)).orElseThrow().calls().stream()
                    .anyMatch(c -> c.id().equals("call-f")), "listed from the bucket");

            LegalHold hold = new LegalHold(NOW, "alice", "case 17");
            assertEquals(CallStatus.FINISHED, library.hold(id, hold).get(10, TimeUnit.SECONDS));
            assertArrayEquals(hold.toJson(), object("call-f", CallFile.LEGAL_HOLD), "the hold is in the bucket");
            assertEquals(CallStore.DeleteOutcome.HELD, library.delete(id).get(10, TimeUnit.SECONDS));
            assertEquals(CallStatus.FINISHED, library.hold(id, null).get(10, TimeUnit.SECONDS));
            assertFalse(Files.exists(server.objectFile(BUCKET, PREFIX + "call-f/legal-hold.json")));
        }
    }

    @Test
    void aCallThatCannotBeUploadedIsRetriedWithoutHoldingUpTheOthers() throws Exception {
        Path broken = recorder.record("call-g", STARTED, 1);
        Path good = recorder.record("call-h", STARTED.plusSeconds(60), 1);
        byte[] callJson = Files.readAllBytes(broken.resolve("call.json"));
        Files.writeString(broken.resolve("call.json"), "{\"id\": \"call-g\", truncated");
        ObjectStorage storage = storage(true);
        scheduler.runDue();
        scheduler.advanceMillis(RETRY_MAX_MS);
        assertEquals(List.of("call-h"), uploaded);
        assertTrue(Files.exists(good.resolve("storage.json")));
        assertEquals(1, storage.stats().pending());
        long failures = storage.stats().failures();
        assertTrue(failures >= 1);
        scheduler.advanceMillis(RETRY_MAX_MS);
        assertTrue(storage.stats().failures() > failures, "tried again");
        assertFalse(Files.exists(server.objectFile(BUCKET, "gw1/call-g/call.json")));

        Files.write(broken.resolve("call.json"), callJson);
        scheduler.advanceMillis(RETRY_MAX_MS);
        assertEquals(List.of("call-h", "call-g"), uploaded);
        assertEquals(0, storage.stats().pending());
        assertArrayEquals(Files.readAllBytes(broken.resolve("audio.wav")), object("call-g", CallFile.AUDIO));
    }

    @Test
    void turningKeepLocalOffRemovesTheLocalCopiesOfCallsUploadedBefore() throws Exception {
        Path dir = recorder.record("call-i", STARTED, 1);
        ObjectStorage keeping = storage(true);
        scheduler.runDue();
        keeping.close();
        assertTrue(Files.exists(dir.resolve("storage.json")));
        assertTrue(Files.exists(dir.resolve("audio.wav")));

        storage(false);
        scheduler.runDue();
        for (CallFile file : List.of(CallFile.AUDIO, CallFile.CAPTIONS_VTT, CallFile.CAPTIONS_SRT)) {
            assertFalse(Files.exists(dir.resolve(file.fileName())), file.fileName());
            assertTrue(Files.exists(server.objectFile(BUCKET, "gw1/call-i/" + file.fileName())));
        }
        assertTrue(Files.exists(dir.resolve("call.json")));
    }

    @Test
    void retentionDeletesExpiredCallsInTheBucketToo() throws Exception {
        recorder.record("call-old", NOW.minus(Duration.ofDays(40)), 1);
        recorder.record("call-new", NOW.minus(Duration.ofDays(2)), 1);
        ObjectStorage storage = storage(false);
        scheduler.runDue();
        assertEquals(2, uploaded.size());
        try (CallLibrary library = CallLibrary.open(storage.store())) {
            library.built().get(10, TimeUnit.SECONDS);
            Retention retention = Retention.start(library, 30, scheduler, InstantSource.fixed(NOW), Duration.ofDays(1));
            scheduler.runDue();
            assertTrue(Files.exists(server.objectFile(BUCKET, "gw1/call-old/audio.wav")),
                    "the dry run deletes nothing");
            scheduler.advanceMillis(Duration.ofDays(1).toMillis());
            for (CallFile file : FILES) {
                assertFalse(Files.exists(server.objectFile(BUCKET, "gw1/call-old/" + file.fileName())),
                        file.fileName());
                assertTrue(Files.exists(server.objectFile(BUCKET, "gw1/call-new/" + file.fileName())),
                        file.fileName());
            }
            assertFalse(Files.exists(recordings.resolve("call-old")));
            List<String> listed = library.list(CallQuery.newest(100)).orElseThrow().calls().stream()
                    .map(IndexedCall::id).toList();
            assertTrue(listed.contains("call-new") && !listed.contains("call-old"), listed.toString());
            assertEquals(1, retention.deleted());
            retention.close();
        }
    }

    private static byte[] object(String id, CallFile file) throws Exception {
        return Files.readAllBytes(server.objectFile(BUCKET, PREFIX + id + "/" + file.fileName()));
    }

    private static byte[] readRange(StoredFile file, long from, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            assertTrue(file.read(buffer, from + buffer.position()) > 0);
        }
        return buffer.array();
    }


    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
