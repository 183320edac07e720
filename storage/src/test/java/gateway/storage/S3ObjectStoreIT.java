package gateway.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.LogCapture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3ObjectStore} against S3Proxy: checksummed PUTs, HEAD, range GETs, listing, deletes and an outage. */
class S3ObjectStoreIT {

    private static final String BUCKET = "calls";

    @TempDir
    static Path dir;
    private static S3Server server;
    private static S3ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(dir.resolve("s3"), BUCKET);
        store = S3ObjectStore.open(server.settings(BUCKET));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        server.close();
    }

    @Test
    void aPutIsStoredByteForByteWithItsSha256AndRangesReadBack() throws Exception {
        byte[] content = new byte[300_001];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("blob.bin"), content);
        Digest digest = Digest.of(file);
        store.put("p/a/audio.wav", file, digest);
        assertArrayEquals(content, Files.readAllBytes(server.objectFile(BUCKET, "p/a/audio.wav")));
        ObjectInfo info = store.head("p/a/audio.wav").orElseThrow();
        assertEquals(content.length, info.size());
        assertEquals(digest.base64(), info.sha256Base64());
        try (InputStream in = store.get("p/a/audio.wav", info.etag(), 1000, 1999)) {
            assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), in.readAllBytes());
        }
        assertEquals(List.of("p/a/"), store.childPrefixes("p/"));
        store.delete("p/a/audio.wav");
        assertTrue(store.head("p/a/audio.wav").isEmpty());
        store.delete("p/a/audio.wav");
    }

    @Test
    void afterTheServerRestartsThePooledConnectionsAreStaleAndTheNextPutStillSucceeds() throws Exception {
        byte[] content = new byte[200_000];
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("restart.bin"), content);
        Digest digest = Digest.of(file);
        int parallel = 4;
        CyclicBarrier together = new CyclicBarrier(parallel);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                String key = "restart/r" + i + "/audio.wav";
                puts.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    store.put(key, file, digest);
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get(30, TimeUnit.SECONDS);   // several connections now wait in the JDK's keep-alive pool
            }
        } finally {
            pool.shutdownNow();
        }
        server.stop();
        server.start();
        store.put("restart/after/audio.wav", file, digest);
        assertArrayEquals(content, Files.readAllBytes(server.objectFile(BUCKET, "restart/after/audio.wav")));
    }

    @Test
    void aBodyThatDoesNotMatchItsChecksumIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("other.txt"), "what was recorded");
        Digest wrong = Digest.of("something else!!!".getBytes());
        StorageException e = assertThrows(StorageException.class,
                () -> store.put("p/b/call.json", file, new Digest(Files.size(file), wrong.sha256())));
        assertTrue(store.head("p/b/call.json").isEmpty(), e.getMessage());
    }

    @Test
    void serverSideEncryptionIsRequestedOnEveryPut() throws Exception {
        Path file = Files.writeString(dir.resolve("sse.txt"), "encrypted at rest");
        for (String[] sse : new String[][] {{"AES256", ""}, {"aws:kms", "alias/calls"}}) {
            // S3Proxy implements no encryption: it logs and refuses (501) an x-amz- header it does not know, which
            // shows the header was sent; the same PUT without it is stored (the tests above). It answers before it
            // reads the body, so the client sees the 501 or a body it could not finish writing, whichever comes
            // first: the proxy's log line is the proof, and the PUT must fail either way.
            try (S3ObjectStore encrypting = S3ObjectStore.open(
                    server.settings(BUCKET, "", S3Server.SECRET_KEY, sse[0], sse[1], 1000, 300_000));
                 LogCapture proxyLog = LogCapture.of("org.gaul.s3proxy.S3ProxyHandler")) {
                assertThrows(StorageException.class, () -> encrypting.put("p/sse/call.json", file, Digest.of(file)));
                assertTrue(proxyLog.lineTexts().contains(
                        "ERROR Unknown header x-amz-server-side-encryption with URI /calls/p/sse/call.json"),
                        proxyLog.lineTexts().toString());
            }
        }
        assertTrue(store.head("p/sse/call.json").isEmpty());
    }

    @Test
    void aRefusedSignatureIsReportedWithoutTheKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("denied.txt"), "x");
        String wrongSecret = "not-the-secret-0123456789";
        try (S3ObjectStore denied = S3ObjectStore.open(
                server.settings(BUCKET, "", wrongSecret, "", "", 1000, 300_000))) {
            StorageException e = assertThrows(StorageException.class, () -> denied.put("p/d/x", file, Digest.of(file)));
            assertTrue(e.getMessage().contains("Status Code: 403"), e.getMessage());
            assertFalse(e.getMessage().contains(wrongSecret), e.getMessage());
            assertFalse(e.getMessage().contains(S3Server.ACCESS_KEY), e.getMessage());
        }
    }

    @Test
    void anOutageIsAStorageExceptionAndEndsWithTheServer() throws Exception {
        Path file = Files.writeString(dir.resolve("small.txt"), "x");
        server.stop();
        try {
            long t0 = System.nanoTime();
            assertThrows(StorageException.class, () -> store.put("p/c/x", file, Digest.of(file)));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "a refused connection fails at once");
        } finally {
            server.start();
        }
        store.put("p/c/x", file, Digest.of(file));
        assertEquals("x", Files.readString(server.objectFile(BUCKET, "p/c/x")));
    }
}
