package gateway.storage;

import gateway.library.CallJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** The length and SHA-256 of some bytes: what call.json records for a file and what S3 checks on upload. */
record Digest(long bytes, byte[] sha256) {

    /** Read size when hashing: large enough that a system call is not the cost, small enough to stay in cache. */
    private static final int BUFFER_BYTES = 64 * 1024;

    Digest {
        sha256 = sha256.clone();
    }

    /** Hashes a local file. */
    static Digest of(Path file) throws IOException {
        MessageDigest sha = newSha256();
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                total += buffer.remaining();
                sha.update(buffer);
            }
        }
        return new Digest(total, sha.digest());
    }

    /** Hashes a stream to its end; does not close it. */
    static Digest of(InputStream in) throws IOException {
        MessageDigest sha = newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sha.update(buffer, 0, n);
            total += n;
        }
        return new Digest(total, sha.digest());
    }

    static Digest of(byte[] content) {
        return new Digest(content.length, newSha256().digest(content));
    }

    /** Lower-case hex, as call.json and storage.json write it. */
    String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The size and hex SHA-256 as call.json's {@code files} lists them. */
    CallJson.FileChecksum checksum() {
        return new CallJson.FileChecksum(bytes, hex());
    }

    /** Base64, as {@code x-amz-checksum-sha256} carries it. */
    String base64() {
        return Base64.getEncoder().encodeToString(sha256);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.bytes == bytes && Arrays.equals(d.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes) * 31 + Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return bytes + " bytes, sha256 " + hex();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
