package gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks the {@code storage.*} keys; every message names its key and never repeats a secret. */
final class StorageConfig {

    /** AWS's bucket rule (3-63 lower-case letters, digits, '.', '-'), with '_' that S3-compatible servers allow. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    /** The characters AWS calls safe in a key, so a prefix never needs escaping in a URL or a listing. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()/-]*");
    /** Keys are at most 1024 bytes; a call id (128) and a file name must still fit after the prefix. */
    static final int MAX_PREFIX_CHARS = 512;
    /** Shortest first retry: below this a down server is hammered. */
    static final int MIN_RETRY_MS = 100;
    /** Longest wait between retries: a day, so a fixed server is used within a day at worst. */
    static final int MAX_RETRY_MS = 86_400_000;
    /** Longest time between listings of the bucket: a day; a call list staler than that is no list. */
    static final int MAX_INDEX_REFRESH_SECONDS = 86_400;

    private StorageConfig() {
    }

    static GatewayConfig.Storage parse(Map<ConfigKey, String> v) throws ConfigException {
        String bucket = v.get(ConfigKey.STORAGE_S3_BUCKET).trim();
        if (!bucket.isEmpty() && !BUCKET.matcher(bucket).matches()) {
            throw new ConfigException(ConfigKey.STORAGE_S3_BUCKET.key(),
                    "not a bucket name (3-63 of a-z 0-9 . - _, starting and ending with a letter or digit): " + bucket);
        }
        URI endpoint = endpoint(v.get(ConfigKey.STORAGE_S3_ENDPOINT).trim());
        String region = v.get(ConfigKey.STORAGE_S3_REGION).trim();
        if (!REGION.matcher(region).matches()) {
            throw new ConfigException(ConfigKey.STORAGE_S3_REGION.key(), "not a region name: '" + region + "'");
        }
        String prefix = prefix(v.get(ConfigKey.STORAGE_S3_PREFIX).trim());
        boolean pathStyle = ConfigLoader.bool(ConfigKey.STORAGE_S3_PATH_STYLE, v);
        String accessKey = v.get(ConfigKey.STORAGE_S3_ACCESS_KEY).trim();
        String secretKey = v.get(ConfigKey.STORAGE_S3_SECRET_KEY).trim();
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            ConfigKey missing = accessKey.isEmpty() ? ConfigKey.STORAGE_S3_ACCESS_KEY : ConfigKey.STORAGE_S3_SECRET_KEY;
            throw new ConfigException(missing.key(), "must be set together with "
                    + (accessKey.isEmpty() ? ConfigKey.STORAGE_S3_SECRET_KEY : ConfigKey.STORAGE_S3_ACCESS_KEY).key()
                    + " (or leave both empty for the SDK's default credential chain)");
        }
        GatewayConfig.Sse sse = sse(v.get(ConfigKey.STORAGE_S3_SSE).trim());
        String kmsKeyId = v.get(ConfigKey.STORAGE_S3_SSE_KMS_KEY_ID).trim();
        if (!kmsKeyId.isEmpty() && sse != GatewayConfig.Sse.KMS) {
            throw new ConfigException(ConfigKey.STORAGE_S3_SSE_KMS_KEY_ID.key(),
                    "only applies with storage.s3.sse=aws:kms (it is " + sse.header() + ")");
        }
        int retryMin = ConfigLoader.boundedInt(ConfigKey.STORAGE_RETRY_MIN_MS, v, MIN_RETRY_MS, MAX_RETRY_MS);
        int retryMax = ConfigLoader.boundedInt(ConfigKey.STORAGE_RETRY_MAX_MS, v, retryMin, MAX_RETRY_MS);
        int indexRefresh = ConfigLoader.boundedInt(ConfigKey.STORAGE_S3_INDEX_REFRESH_SECONDS, v, 0,
                MAX_INDEX_REFRESH_SECONDS);
        return new GatewayConfig.Storage(bucket, endpoint, region, prefix, pathStyle, accessKey, secretKey, sse,
                kmsKeyId, retryMin, retryMax, indexRefresh);
    }

    private static URI endpoint(String raw) throws ConfigException {
        if (raw.isEmpty()) {
            return null;
        }
        String key = ConfigKey.STORAGE_S3_ENDPOINT.key();
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigException(key, "must be an http:// or https:// URL, got " + raw);
            }
            if (uri.getHost() == null) {
                throw new ConfigException(key, "has no host: " + raw);
            }
            if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new ConfigException(key, "must be scheme, host and port only (credentials go in"
                        + " storage.s3.access-key and storage.s3.secret-key)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "not a URL: " + e.getMessage());
        }
    }

    /** The prefix, ending in '/' unless empty. */
    private static String prefix(String raw) throws ConfigException {
        String key = ConfigKey.STORAGE_S3_PREFIX.key();
        if (raw.isEmpty()) {
            return raw;
        }
        if (raw.length() > MAX_PREFIX_CHARS || !PREFIX.matcher(raw).matches()) {
            throw new ConfigException(key, "may hold up to " + MAX_PREFIX_CHARS + " of A-Z a-z 0-9 ! _ . * ' ( ) / -");
        }
        String prefix = raw.endsWith("/") ? raw : raw + "/";
        for (String segment : prefix.substring(0, prefix.length() - 1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ConfigException(key, "must not start with '/' nor hold empty, '.' or '..' segments: " + raw);
            }
        }
        return prefix;
    }

    private static GatewayConfig.Sse sse(String raw) throws ConfigException {
        for (GatewayConfig.Sse sse : GatewayConfig.Sse.values()) {
            if (sse.header().equalsIgnoreCase(raw)) {
                return sse;
            }
        }
        throw new ConfigException(ConfigKey.STORAGE_S3_SSE.key(), "must be none, AES256 or aws:kms, got '" + raw + "'");
    }
}
