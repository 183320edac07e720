package gateway.storage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A bucket through the AWS SDK's synchronous S3 client over the JDK's HttpURLConnection. The SDK retries a request
 * once, at once; waiting out an outage is the {@link Uploader}'s back-off, so an outage costs two refused
 * connections per attempt.
 *
 * <p>Every PUT carries the file's SHA-256 as {@code x-amz-checksum-sha256}; S3 (and S3Proxy) refuse the body when
 * it does not match and echo the checksum. A server that neither echoes it nor returns it on a HEAD gets the object
 * read back and hashed, so an upload is never taken as done on trust.
 */
final class S3ObjectStore implements ObjectStore {

    private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());
    /** How long to wait for a TCP connection: an unreachable server is an outage, not a slow request. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a read may stall: generous for a busy server, short enough that a dead one frees the thread. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Idle connections the JDK keeps per server for reuse ({@code http.maxConnections}, default 5). After the server
     * restarts or drops idle connections, every one of them is stale, and a request finds out only by failing on it.
     */
    private static final int JDK_IDLE_CONNECTIONS = Integer.getInteger("http.maxConnections", 5);
    /**
     * Attempts per request inside the SDK, at once: enough to use up every stale pooled connection and then open a
     * new one. A refused connection fails in microseconds; longer trouble is the uploader's back-off.
     */
    static final int SDK_ATTEMPTS = 1 + JDK_IDLE_CONNECTIONS;
    private static final int NOT_FOUND = 404;
    private static final int PRECONDITION_FAILED = 412;

    private final S3Client s3;
    private final String bucket;
    private final String sse;
    private final String kmsKeyId;
    private volatile boolean readBackLogged;

    S3ObjectStore(S3Client s3, String bucket, String sse, String kmsKeyId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.sse = sse;
        this.kmsKeyId = kmsKeyId;
    }

    /** A store for the configured bucket. */
    static S3ObjectStore open(StorageSettings config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                // Our own SHA-256 goes in a header; the SDK's default CRC trailer (aws-chunked) is not sent.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(SDK_ATTEMPTS)
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .build()));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return new S3ObjectStore(builder.build(), config.bucket(), config.sse(), config.kmsKeyId());
    }

    private static AwsCredentialsProvider credentials(StorageSettings config) {
        if (config.staticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void put(String key, Path file, Digest digest) throws StorageException {
        put(key, RequestBody.fromFile(file), digest);
    }

    @Override
    public void put(String key, byte[] content) throws StorageException {
        put(key, RequestBody.fromBytes(content), Digest.of(content));
    }

    private void put(String key, RequestBody body, Digest digest) throws StorageException {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentLength(digest.bytes())
                .checksumSHA256(digest.base64());
        if (!sse.isEmpty()) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
            if (!kmsKeyId.isEmpty()) {
                request.ssekmsKeyId(kmsKeyId);
            }
        }
        PutObjectResponse response;
        try {
            response = s3.putObject(request.build(), body);
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
        verify(key, digest, response.checksumSHA256());
    }

    /** Checks the stored object against {@code digest}: by the echoed checksum, a HEAD, or reading it back. */
    private void verify(String key, Digest digest, String echoed) throws StorageException {
        String stored = echoed;
        if (stored == null) {
            stored = head(key).map(ObjectInfo::sha256Base64).orElse(null);
        }
        if (stored != null) {
            if (!stored.equals(digest.base64())) {
                throw new StorageException("PUT " + key + ": the server stored SHA-256 " + stored + ", not "
                        + digest.base64());
            }
            return;
        }
        if (!readBackLogged) {
            readBackLogged = true;
            LOG.log(Level.INFO, "the storage server keeps no SHA-256 of objects; uploads are verified by reading"
                    + " them back");
        }
        ObjectInfo info = head(key).orElseThrow(() -> new StorageException("PUT " + key + ": object missing after"
                + " upload"));
        Digest read = Digest.of(new byte[0]);
        if (info.size() > 0) {
            try (InputStream in = get(key, info.etag(), 0, info.size() - 1)) {
                read = Digest.of(in);
            } catch (IOException e) {
                throw new StorageException("GET " + key + " to verify it failed: " + e.getMessage(), e);
            }
        }
        if (!read.equals(digest)) {
            throw new StorageException("PUT " + key + ": read back " + read + ", sent " + digest);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StorageException {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            return Optional.of(new ObjectInfo(r.contentLength(), unquote(r.eTag()), r.lastModified(),
                    r.checksumSHA256()));
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("HEAD", key, e);
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public InputStream get(String key, String etag, long first, long last) throws StorageException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key)
                    .range("bytes=" + first + "-" + last).ifMatch("\"" + etag + "\""));
            return in;
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED) {
                throw new StorageException("GET " + key + ": the object changed since it was opened", e);
            }
            throw failure("GET", key, e);
        } catch (SdkException e) {
            throw failure("GET", key, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("DELETE", key, e);
        }
    }

    @Override
    public List<String> childPrefixes(String prefix) throws StorageException {
        List<String> prefixes = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)
                    .delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    prefixes.add(p.prefix());
                }
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        return prefixes;
    }

    @Override
    public void list(String prefix, Consumer<ListedObject> each) throws StorageException {
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                for (S3Object o : page.contents()) {
                    each.accept(new ListedObject(o.key(), o.size() == null ? 0 : o.size(), unquote(o.eTag()),
                            o.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private StorageException failure(String operation, String key, SdkException e) {
        return new StorageException(operation + " " + bucket + "/" + key + " failed: " + e.getMessage(), e);
    }

    private static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
