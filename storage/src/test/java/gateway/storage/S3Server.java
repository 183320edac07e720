package gateway.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 server for tests: S3Proxy with its filesystem backend, so each object is a plain file under
 * {@code <dir>/<bucket>/<key>} that a test can read byte for byte. It checks SigV4 signatures with a fixed test key
 * and runs on one loopback port for its whole life: {@link #stop} is an outage, {@link #start} the recovery, and
 * clients configured once keep working. Threading: the test thread starts and stops it.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "s3proxy-test-access";
    public static final String SECRET_KEY = "s3proxy-test-secret-0123456789";
    public static final String REGION = "us-east-1";

    /** S3Proxy and its Jetty log every start at INFO; a test run shows only their warnings. */
    private static final java.util.logging.Logger QUIET = quiet("org.gaul");

    private final Path dir;
    private final int port;
    private final boolean ignoreUnknownHeaders;
    private BlobStore blobStore;
    private S3Proxy proxy;

    private S3Server(Path dir, int port, boolean ignoreUnknownHeaders) {
        this.dir = dir;
        this.port = port;
        this.ignoreUnknownHeaders = ignoreUnknownHeaders;
    }

    /** Starts a server storing under {@code dir} with an empty bucket named {@code bucket}. */
    public static S3Server start(Path dir, String bucket) throws Exception {
        Files.createDirectories(dir.resolve(bucket));
        S3Server server = new S3Server(dir, freePort(), false);
        server.start();
        return server;
    }

    /** Starts (or restarts after {@link #stop}) on the same port and directory; does nothing while running. */
    public void start() throws Exception {
        if (proxy != null) {
            return;
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        blobStore = BlobStores.create("filesystem-nio2", properties);
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .ignoreUnknownHeaders(ignoreUnknownHeaders)
                .build();
        proxy.start();
    }

    /** Stops serving: connections are refused until {@link #start}. */
    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            blobStore.close();
            proxy = null;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The file holding an object. */
    public Path objectFile(String bucket, String key) {
        return dir.resolve(bucket).resolve(key);
    }

    /** Settings for {@code bucket} on this server: no prefix, no encryption, the default back-off. */
    public StorageSettings settings(String bucket) {
        return settings(bucket, "", SECRET_KEY, "", "", 1000, 300_000);
    }

    /** Settings for {@code bucket} on this server with the given prefix, secret, encryption and back-off. */
    public StorageSettings settings(String bucket, String prefix, String secretKey, String sse, String kmsKeyId,
                                    long retryMinMs, long retryMaxMs) {
        return new StorageSettings(bucket, endpoint(), REGION, prefix, true, ACCESS_KEY, secretKey, sse, kmsKeyId,
                retryMinMs, retryMaxMs);
    }

    /** The {@code --key=value} flags that point a gateway at this server. */
    public java.util.List<String> flags(String bucket) {
        return java.util.List.of("--storage.s3.bucket=" + bucket, "--storage.s3.endpoint=" + endpoint(),
                "--storage.s3.region=" + REGION, "--storage.s3.path-style=true",
                "--storage.s3.access-key=" + ACCESS_KEY, "--storage.s3.secret-key=" + SECRET_KEY);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
