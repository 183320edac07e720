package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageConfigTest {

    private static final String ACCESS = "AKIAEXAMPLEACCESS01";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path dir;

    @Test
    void storageIsOffAndRecordingsStayForeverByDefault() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of(), Map.of());
        assertFalse(c.storage().enabled());
        assertNull(c.storage().endpoint());
        assertEquals("us-east-1", c.storage().region());
        assertEquals("", c.storage().prefix());
        assertEquals(GatewayConfig.Sse.NONE, c.storage().sse());
        assertEquals(1000, c.storage().retryMinMs());
        assertEquals(300_000, c.storage().retryMaxMs());
        assertEquals(30, c.storage().indexRefreshSeconds());
        assertFalse(c.qaOnly());
        assertEquals(0, c.recordings().retentionDays());
        assertFalse(c.recordings().retains());
        assertEquals(86_400_000L, c.recordings().retentionSweepMs());
        assertTrue(c.recordings().keepLocal());
    }

    @Test
    void aFileConfiguresAnS3CompatibleServerAndKeysComeFromTheEnvironment() throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, """
                recordings:
                  retention-days: 30
                  keep-local: false
                storage:
                  s3:
                    bucket: call-recordings
                    endpoint: http://127.0.0.1:9000
                    region: eu-west-1
                    prefix: gw1/calls
                    path-style: true
                    sse: aws:kms
                    sse-kms-key-id: alias/recordings
                    index-refresh-seconds: 5
                  retry-min-ms: 500
                  retry-max-ms: 60000
                """);
        GatewayConfig c = ConfigLoader.load(List.of("--config=" + file), Map.of(
                "GATEWAY_STORAGE_S3_ACCESS_KEY", ACCESS, "GATEWAY_STORAGE_S3_SECRET_KEY", SECRET));
        GatewayConfig.Storage s = c.storage();
        assertTrue(s.enabled());
        assertEquals("call-recordings", s.bucket());
        assertEquals(URI.create("http://127.0.0.1:9000"), s.endpoint());
        assertEquals("eu-west-1", s.region());
        assertEquals("gw1/calls/", s.prefix(), "a prefix always ends in a slash");
        assertTrue(s.pathStyle());
        assertEquals(ACCESS, s.accessKey());
        assertEquals(SECRET, s.secretKey());
        assertEquals(GatewayConfig.Sse.KMS, s.sse());
        assertEquals("aws:kms", s.sse().header());
        assertEquals("alias/recordings", s.kmsKeyId());
        assertEquals(500, s.retryMinMs());
        assertEquals(60_000, s.retryMaxMs());
        assertEquals(5, s.indexRefreshSeconds());
        assertEquals(30, c.recordings().retentionDays());
        assertFalse(c.recordings().keepLocal());
    }

    @Test
    void accessKeysAreNeverPrinted() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of("--storage.s3.bucket=calls",
                "--storage.s3.access-key=" + ACCESS, "--storage.s3.secret-key=" + SECRET), Map.of());
        assertEquals("Storage[bucket=calls, endpoint=aws, region=us-east-1, prefix=, pathStyle=false,"
                + " credentials=set, sse=none, retryMinMs=1000, retryMaxMs=300000, indexRefreshSeconds=30]",
                c.storage().toString());
        assertFalse(c.toString().contains(ACCESS));
        assertFalse(c.toString().contains(SECRET));
        GatewayConfig chain = ConfigLoader.load(List.of("--storage.s3.bucket=calls"), Map.of());
        assertTrue(chain.storage().toString().contains("credentials=default chain"));
    }

    @Test
    void badStorageValuesNameTheirKey() {
        assertEquals("storage.s3.bucket: not a bucket name (3-63 of a-z 0-9 . - _, starting and ending with a letter"
                + " or digit): Calls", message("--storage.s3.bucket=Calls"));
        assertEquals("storage.s3.endpoint", keyOf("--storage.s3.endpoint=ftp://example.com"));
        assertEquals("storage.s3.endpoint", keyOf("--storage.s3.endpoint=http://user:pw@example.com"));
        assertEquals("storage.s3.region", keyOf("--storage.s3.region=EU West"));
        assertEquals("storage.s3.prefix", keyOf("--storage.s3.prefix=/calls"));
        assertEquals("storage.s3.prefix", keyOf("--storage.s3.prefix=a/../b"));
        assertEquals("storage.s3.prefix", keyOf("--storage.s3.prefix=a b"));
        assertEquals("storage.s3.path-style: must be true or false, got 'yes'", message("--storage.s3.path-style=yes"));
        assertEquals("storage.s3.sse: must be none, AES256 or aws:kms, got 'kms'", message("--storage.s3.sse=kms"));
        assertEquals("storage.s3.sse-kms-key-id: only applies with storage.s3.sse=aws:kms (it is AES256)",
                message("--storage.s3.sse=aes256", "--storage.s3.sse-kms-key-id=k"));
        assertEquals("storage.retry-min-ms", keyOf("--storage.retry-min-ms=10"));
        assertEquals("storage.retry-max-ms: must be between 5000 and 86400000, got 1000",
                message("--storage.retry-min-ms=5000", "--storage.retry-max-ms=1000"));
        assertEquals("storage.s3.index-refresh-seconds: must be between 0 and 86400, got -1",
                message("--storage.s3.index-refresh-seconds=-1"));
        assertEquals("recordings.retention-days", keyOf("--recordings.retention-days=-1"));
        assertEquals("recordings.retention-sweep-ms", keyOf("--recordings.retention-sweep-ms=10"));
    }

    @Test
    void oneKeyWithoutTheOtherNamesTheMissingOneAndNotTheValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                List.of("--storage.s3.bucket=calls", "--storage.s3.access-key=" + ACCESS), Map.of()));
        assertEquals("storage.s3.secret-key", e.key());
        assertFalse(e.getMessage().contains(ACCESS));
    }

    @Test
    void droppingTheLocalCopyNeedsABucket() {
        assertEquals("recordings.keep-local: false needs storage.s3.bucket: without object storage the local copy"
                + " is the only one", message("--recordings.keep-local=false"));
    }

    @Test
    void aQaOnlyInstanceNeedsABucketOrAnExistingRecordingsDirectory() throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("qa.only: needs calls to serve: set storage.s3.bucket, or a recordings.dir that exists ("
                + missing + " does not)", message("--qa.only=true", "--recordings.dir=" + missing));
        assertTrue(ConfigLoader.load(List.of("--qa.only=true", "--recordings.dir=" + dir), Map.of()).qaOnly());
        GatewayConfig bucketOnly = ConfigLoader.load(List.of("--qa.only=true", "--recordings.dir=" + missing,
                "--storage.s3.bucket=calls", "--storage.s3.index-refresh-seconds=0"), Map.of());
        assertTrue(bucketOnly.qaOnly());
        assertEquals(0, bucketOnly.storage().indexRefreshSeconds());
    }

    private static String keyOf(String... flags) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(flags), Map.of())).key();
    }

    private static String message(String... flags) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(flags), Map.of())).getMessage();
    }
}
