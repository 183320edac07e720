package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallQuery;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.IndexedCall;
import gateway.library.LegalHold;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index kept current from a shared bucket, on the manual clock with a bucket in memory: calls other instances
 * upload are read once (again only when their call.json changes), their holds follow the listing, calls deleted from
 * the bucket leave the index, a bucket that is down is logged once and the index catches up when it is back, each
 * refresh reads a bounded number of calls, and a legal hold on a call only the bucket holds is stored in the bucket.
 */
class BucketRefreshTest {

    private static final String PREFIX = "calls/";
    private static final String TEMPLATE = "template-call";
    private static final Duration PERIOD = Duration.ofSeconds(30);
    private static final int RETRY_MIN_MS = 1000;
    private static final int RETRY_MAX_MS = 8000;
    private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path scratch;
    @TempDir
    Path recordings;

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final ManualScheduler scheduler = new ManualScheduler();
    private byte[] template;
    private ObjectStorage storage;
    private CallLibrary library;

    @BeforeEach
    void recordTemplate() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(scratch)) {
            template = Files.readAllBytes(recorder.record(TEMPLATE, STARTED, 1).resolve("call.json"));
        }
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
        if (library != null) {
            library.close();
        }
    }

    /** Opens the instance (no uploads of its own) and its library, and starts the refresh. */
    private void open(Duration period) throws Exception {
        StorageSettings config = new StorageSettings("shared", null, "us-east-1", PREFIX, true, "", "", "", "",
                RETRY_MIN_MS, RETRY_MAX_MS);
        storage = ObjectStorage.assemble(bucket, config, recordings, true, false, scheduler, scheduler,
                new Random(7), InstantSource.fixed(STARTED), id -> { }, List.of());
        library = CallLibrary.open(storage.store());
        library.built().get(WAIT_SECONDS, TimeUnit.SECONDS);
        storage.keepIndexCurrent(library, period);
    }

    /** Runs what is due and waits until the library has taken in what the refresh found. */
    private void settle() throws Exception {
        scheduler.runDue();
        storage.refresh().applied().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void nextPeriod() throws Exception {
        scheduler.advanceMillis(PERIOD.toMillis());
        settle();
    }

    /** Another instance's upload of a call: its call.json, as the recorder wrote it, with this id. */
    private void upload(String id) {
        bucket.store(PREFIX + id + "/call.json", callJson(id, "caller_bye"));
    }

    private byte[] callJson(String id, String endReason) {
        return new String(template, StandardCharsets.UTF_8).replace(TEMPLATE, id)
                .replace("\"caller_bye\"", "\"" + endReason + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private void hold(String id) {
        bucket.store(PREFIX + id + "/legal-hold.json", new LegalHold(STARTED, "bob", "").toJson());
    }

    private List<IndexedCall> listed() {
        return library.list(CallQuery.newest(1000)).orElseThrow().calls();
    }

    private List<String> ids() {
        return listed().stream().map(IndexedCall::id).sorted().toList();
    }

    @Test
    void callsOtherInstancesUploadedAreIndexedWithTheirHolds() throws Exception {
        upload("gw1-a");
        upload("gw2-b");
        hold("gw2-b");
        bucket.store(PREFIX + "gw2-c/audio.wav", new byte[] {1, 2});  // an upload under way: no call.json yet
        open(PERIOD);
        assertFalse(storage.listed());
        settle();

        storage.firstListing().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(storage.listed());
        assertEquals(List.of("gw1-a", "gw2-b"), ids());
        assertTrue(library.held("gw2-b"));
        assertFalse(library.held("gw1-a"));
        assertEquals(2, bucket.gets.get(), "one read per call.json");
        assertEquals("caller_bye", listed().get(0).endReason());
    }

    @Test
    void aCallIsReadAgainOnlyWhenItsCallJsonChangesAndItsHoldFollowsTheListing() throws Exception {
        upload("gw1-a");
        open(PERIOD);
        settle();
        nextPeriod();
        nextPeriod();
        assertEquals(1, bucket.gets.get(), "an unchanged call.json is not read again");
        assertEquals(3, bucket.lists.get());

        bucket.store(PREFIX + "gw1-a/call.json", callJson("gw1-a", "agent_hangup"));
        nextPeriod();
        assertEquals(2, bucket.gets.get());
        assertEquals("agent_hangup", listed().get(0).endReason());

        hold("gw1-a");
        nextPeriod();
        assertTrue(library.held("gw1-a"));
        bucket.remove(PREFIX + "gw1-a/legal-hold.json");
        nextPeriod();
        assertFalse(library.held("gw1-a"));
        assertEquals(2, bucket.gets.get(), "a hold is seen in the listing, without reading anything");
    }

    @Test
    void aCallDeletedFromTheBucketLeavesTheIndex() throws Exception {
        upload("gw1-a");
        upload("gw1-b");
        open(PERIOD);
        settle();
        assertEquals(List.of("gw1-a", "gw1-b"), ids());

        bucket.remove(PREFIX + "gw1-b/call.json");
        scheduler.advanceMillis(PERIOD.toMillis() - 1);
        assertEquals(List.of("gw1-a", "gw1-b"), ids(), "not before the period has passed");
        scheduler.advanceMillis(1);
        settle();
        assertEquals(List.of("gw1-a"), ids());
    }

    @Test
    void aBucketThatIsDownIsLoggedOnceTheIndexKeepsItsCallsAndCatchesUpWhenItIsBack() throws Exception {
        upload("gw1-a");
        open(PERIOD);
        settle();
        try (LogCapture log = LogCapture.of(BucketRefresh.class)) {
            bucket.down(true);
            upload("gw2-b");
            bucket.remove(PREFIX + "gw1-a/call.json");
            for (int i = 0; i < 20; i++) {
                nextPeriod();
            }
            assertEquals(List.of("gw1-a"), ids(), "the index keeps what it had");
            assertEquals(1, log.messages(Level.WARNING).size(), log.lineTexts().toString());
            assertTrue(log.messages(Level.WARNING).get(0).startsWith("cannot list the bucket; the call list keeps"
                    + " the 1 calls it has and catches up when the bucket is back: LIST calls/ failed"),
                    log.lineTexts().toString());

            bucket.down(false);
            nextPeriod();
            assertEquals(List.of("gw2-b"), ids());
            assertEquals(1, log.messages(Level.INFO).size(), log.lineTexts().toString());
            assertTrue(log.messages(Level.INFO).get(0).startsWith("the bucket can be listed again after "));
        }
    }

    @Test
    void anInstanceStartedWhileTheBucketIsDownIsListedOnceItIsBackEvenWithoutPeriodicRefresh() throws Exception {
        upload("gw1-a");
        bucket.down(true);
        open(Duration.ZERO);
        scheduler.runDue();
        scheduler.advanceMillis(4 * RETRY_MAX_MS);
        assertFalse(storage.listed());
        assertEquals(List.of(), ids());

        bucket.down(false);
        scheduler.advanceMillis(RETRY_MAX_MS);
        settle();
        storage.firstListing().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(storage.listed());
        assertEquals(List.of("gw1-a"), ids());
        int lists = bucket.lists.get();
        scheduler.advanceMillis(Duration.ofHours(1).toMillis());
        assertEquals(lists, bucket.lists.get(), "period 0: no refresh after the first listing");
    }

    @Test
    void eachRefreshReadsABoundedNumberOfCallsAndTheNextFollowsAtOnce() throws Exception {
        int calls = 2 * BucketRefresh.MAX_READS_PER_REFRESH + 50;
        for (int i = 0; i < calls; i++) {
            upload(String.format("gw1-%04d", i));
        }
        open(PERIOD);
        settle();
        assertEquals(calls, library.size());
        assertEquals(calls, bucket.gets.get());
        assertEquals(3, bucket.lists.get(), "three refreshes of at most " + BucketRefresh.MAX_READS_PER_REFRESH
                + " reads, back to back");
    }

    @Test
    void aCallOnLocalDiskIsLeftToTheLocalIndex() throws Exception {
        try (RecordedCalls recorder = new RecordedCalls(recordings)) {
            Path dir = recorder.record("mine", STARTED, 1);
            bucket.store(PREFIX + "mine/call.json", dir.resolve("call.json"));
        }
        open(PERIOD);
        settle();
        assertEquals(List.of("mine"), ids());
        assertEquals(0, bucket.gets.get(), "its call.json is read from disk");
        bucket.remove(PREFIX + "mine/call.json");
        nextPeriod();
        assertEquals(List.of("mine"), ids());
    }

    @Test
    void aCallDeletedHereWhileARefreshReadsItIsNotBroughtBack() throws Exception {
        open(PERIOD);
        settle();
        upload("gw2-b");
        CallId id = new CallId("gw2-b");
        bucket.afterNextGet(() -> {
            try {
                assertEquals(CallStore.DeleteOutcome.DELETED, library.delete(id).get(WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        nextPeriod();
        assertEquals(List.of(), bucket.keys());
        assertEquals(List.of(), ids(), "the listing predates the delete");
    }

    @Test
    void aHoldOnAnUploadedLocalCallGoesToTheBucketTooAndAHoldPlacedThereKeepsTheLocalCall() throws Exception {
        StorageSettings config = new StorageSettings("shared", null, "us-east-1", PREFIX, true, "", "", "", "",
                RETRY_MIN_MS, RETRY_MAX_MS);
        try (RecordedCalls recorder = new RecordedCalls(recordings)) {
            recorder.record("mine", STARTED, 1);
        }
        storage = ObjectStorage.assemble(bucket, config, recordings, false, true, scheduler, scheduler,
                new Random(7), InstantSource.fixed(STARTED), id -> { }, List.of());
        scheduler.runDue();
        assertTrue(Files.exists(recordings.resolve("mine/storage.json")), "uploaded");
        library = CallLibrary.open(storage.store());
        library.built().get(WAIT_SECONDS, TimeUnit.SECONDS);
        CallId id = new CallId("mine");
        LegalHold hold = new LegalHold(STARTED, "alice", "");

        assertEquals(CallStatus.FINISHED, library.hold(id, hold).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertArrayEquals(hold.toJson(), Files.readAllBytes(recordings.resolve("mine/legal-hold.json")));
        assertArrayEquals(hold.toJson(), bucket.bytes(PREFIX + "mine/legal-hold.json").orElseThrow());
        assertEquals(CallStatus.FINISHED, library.hold(id, null).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(bucket.bytes(PREFIX + "mine/legal-hold.json").isPresent());
        assertFalse(Files.exists(recordings.resolve("mine/legal-hold.json")));

        hold("mine");  // placed by a QA-only instance, which sees this call in the bucket only
        assertEquals(CallStore.DeleteOutcome.HELD, library.delete(id).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(bucket.bytes(PREFIX + "mine/audio.wav").isPresent());
        assertTrue(Files.exists(recordings.resolve("mine/call.json")));
    }

    @Test
    void aLegalHoldOnACallOnlyTheBucketHoldsIsStoredThereAndKeepsTheCall() throws Exception {
        upload("gw2-b");
        open(PERIOD);
        settle();
        CallId id = new CallId("gw2-b");
        LegalHold hold = new LegalHold(STARTED.plusSeconds(60), "alice", "case 17");

        assertEquals(CallStatus.FINISHED, library.hold(id, hold).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertArrayEquals(hold.toJson(), bucket.bytes(PREFIX + "gw2-b/legal-hold.json").orElseThrow());
        assertTrue(library.held("gw2-b"));
        try (var file = storage.store().open(id, CallFile.LEGAL_HOLD).orElseThrow()) {
            assertEquals(hold, LegalHold.read(file.readAll()));
        }
        nextPeriod();
        assertTrue(library.held("gw2-b"), "the listing shows the hold too");
        assertEquals(CallStore.DeleteOutcome.HELD, library.delete(id).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(bucket.bytes(PREFIX + "gw2-b/call.json").isPresent());

        assertEquals(CallStatus.FINISHED, library.hold(id, null).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(library.held("gw2-b"));
        assertEquals(List.of(PREFIX + "gw2-b/call.json"), bucket.keys());
        assertEquals(CallStore.DeleteOutcome.DELETED, library.delete(id).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(), bucket.keys());
        assertEquals(List.of(), ids());
        assertEquals(CallStatus.ABSENT, library.hold(id, hold).get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
}
