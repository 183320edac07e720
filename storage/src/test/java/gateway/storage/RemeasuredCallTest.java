package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.AnalyticsBackfill;
import gateway.library.CallAnalytics;
import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallJson;
import gateway.library.CallLibrary;
import gateway.library.CallQuery;
import gateway.library.ConversationAnalyzer;
import gateway.library.LocalCallStore;
import gateway.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics measured after the call, with a bucket: a call uploaded before they existed (its audio kept only in the
 * bucket) is measured from the bucket's audio.wav, and its new call.json goes to the bucket, the disk and
 * storage.json's digest alike; a call only the bucket holds is another instance's and is not rewritten.
 */
class RemeasuredCallTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PREFIX = "calls/";
    private static final String ID = "20261120T090000Z-0000old1";
    private static final String ELSEWHERE = "20261120T091000Z-0000gw2b";

    @TempDir
    Path recordings;

    /** Records a call with the real recorder, then drops its analytics: a call recorded before them. */
    private void recordOlderCall() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(recordings)) {
            recorder.record(ID, Instant.parse("2026-11-20T09:00:00Z"), 3);
        }
        Path json = recordings.resolve(ID).resolve(CallFile.CALL_JSON.fileName());
        ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readAllBytes(json));
        tree.remove("analytics");
        Files.write(json, MAPPER.writeValueAsBytes(tree));
        assertNull(CallJson.read(Files.readAllBytes(json)).analytics());
    }

    @Test
    void anUploadedOlderCallIsMeasuredFromTheBucketAndRewrittenEverywhere() throws Exception {
        recordOlderCall();
        MemoryObjectStore bucket = new MemoryObjectStore();
        ObjectKeys keys = new ObjectKeys(PREFIX);
        CallLocks locks = new CallLocks();
        CallUpload upload = new CallUpload(recordings, bucket, "shared", keys, locks, false, InstantSource.system());
        assertTrue(upload.upload(new CallId(ID)) instanceof CallUpload.Result.Uploaded);
        Path dir = recordings.resolve(ID);
        assertFalse(Files.exists(dir.resolve(CallFile.AUDIO.fileName())), "the audio is only in the bucket");
        TieredCallStore store = new TieredCallStore(new LocalCallStore(recordings), bucket, keys, locks);

        try (CallLibrary library = CallLibrary.open(store,
                new AnalyticsBackfill.Settings(1_000, ConversationAnalyzer.DEFAULT_DEAD_AIR_MS))) {
            Await.until(() -> library.ready() && library.backfill().counts().measured() == 1, Duration.ofSeconds(10),
                    () -> library.backfill().counts().toString());
            CallAnalytics indexed = library.list(CallQuery.newest(10)).orElseThrow().calls().get(0).analytics();
            assertNotNull(indexed);
            assertTrue(indexed.remeasured());
        }
        byte[] local = Files.readAllBytes(dir.resolve(CallFile.CALL_JSON.fileName()));
        assertArrayEquals(local, bucket.bytes(keys.key(new CallId(ID), CallFile.CALL_JSON)).orElseThrow(),
                "the bucket holds the rewritten call.json");
        assertTrue(CallJson.read(local).analytics().remeasured());
        assertTrue(MAPPER.readTree(local).has("files"), "the checksums the upload added are kept");
        UploadRecord record = UploadRecord.read(dir).orElseThrow();
        assertEquals(Digest.of(local), record.objects().get(CallFile.CALL_JSON).digest(),
                "storage.json's digest is of the new call.json");
        assertEquals(keys.key(new CallId(ID), CallFile.AUDIO), record.objects().get(CallFile.AUDIO).key());
    }

    @Test
    void aCallOnlyTheBucketHoldsIsNotRewritten() throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        ObjectKeys keys = new ObjectKeys(PREFIX);
        byte[] json = ("{\"id\":\"" + ELSEWHERE + "\",\"started_at\":\"2026-11-20T09:10:00.000Z\"}")
                .getBytes(StandardCharsets.UTF_8);
        bucket.store(keys.key(new CallId(ELSEWHERE), CallFile.CALL_JSON), json);
        TieredCallStore store = new TieredCallStore(new LocalCallStore(recordings), bucket, keys, new CallLocks());
        assertFalse(store.rewriteCallJson(new CallId(ELSEWHERE), "{}".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(json, bucket.bytes(keys.key(new CallId(ELSEWHERE), CallFile.CALL_JSON)).orElseThrow());
    }
}
