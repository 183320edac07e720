package gateway.storage;

import java.net.URI;

/**
 * What object storage needs to know: the bucket and where it is, how to sign, how objects are encrypted and how
 * failed uploads back off. {@link #toString()} never prints the keys.
 *
 * @param endpoint   an S3-compatible server's URL; {@code null} means AWS
 * @param accessKey  empty, with {@code secretKey}, for the SDK's default credential chain
 * @param sse        the value of {@code x-amz-server-side-encryption} ({@code AES256} or {@code aws:kms}); empty: none
 * @param kmsKeyId   with {@code aws:kms}, the key id; empty for the bucket's default key
 */
public record StorageSettings(String bucket, URI endpoint, String region, String prefix, boolean pathStyle,
                              String accessKey, String secretKey, String sse, String kmsKeyId, long retryMinMs,
                              long retryMaxMs) {

    /** True when keys are configured rather than left to the default chain. */
    public boolean staticCredentials() {
        return !accessKey.isEmpty();
    }

    @Override
    public String toString() {
        return "Storage[bucket=" + bucket + ", endpoint=" + (endpoint == null ? "aws" : endpoint)
                + ", region=" + region + ", prefix=" + prefix + ", pathStyle=" + pathStyle
                + ", credentials=" + (staticCredentials() ? "set" : "default chain")
                + ", sse=" + (sse.isEmpty() ? "none" : sse) + (kmsKeyId.isEmpty() ? "" : ", kmsKeyId=" + kmsKeyId)
                + ", retryMinMs=" + retryMinMs + ", retryMaxMs=" + retryMaxMs + "]";
    }
}
