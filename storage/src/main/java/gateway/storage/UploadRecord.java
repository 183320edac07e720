package gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * storage.json, written in a call's folder once all its objects are stored and verified: the bucket, when, and for
 * each file its key, size and SHA-256 (call.json's own included). Its presence is what "uploaded" means: a finished
 * call without it is pending, so the queue survives any crash. Reads follow its keys, so calls stored under an
 * earlier prefix are still found.
 */
record UploadRecord(String bucket, Instant uploadedAt, Map<CallFile, StoredObject> objects) {

    static final String FILE_NAME = "storage.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One uploaded file. */
    record StoredObject(String key, Digest digest) {
    }

    UploadRecord {
        objects = Map.copyOf(objects);
    }

    byte[] toJson() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("bucket", bucket);
        root.put("uploaded_at", uploadedAt.toString());
        ObjectNode files = root.putObject("objects");
        for (CallFile file : CallFile.values()) {
            StoredObject o = objects.get(file);
            if (o != null) {
                files.putObject(file.fileName()).put("key", o.key()).put("bytes", o.digest().bytes())
                        .put("sha256", o.digest().hex());
            }
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /** The record in {@code callDir}, or empty when the call is not uploaded. */
    static Optional<UploadRecord> read(Path callDir) throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(callDir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        JsonNode root = MAPPER.readTree(json);
        try {
            Map<CallFile, StoredObject> objects = new EnumMap<>(CallFile.class);
            for (CallFile file : CallFile.values()) {
                JsonNode o = root.path("objects").path(file.fileName());
                if (o.isObject()) {
                    objects.put(file, new StoredObject(o.path("key").asText(), new Digest(o.path("bytes").asLong(),
                            HexFormat.of().parseHex(o.path("sha256").asText()))));
                }
            }
            return Optional.of(new UploadRecord(root.path("bucket").asText(),
                    Instant.parse(root.path("uploaded_at").asText()), objects));
        } catch (RuntimeException e) {
            throw new IOException(FILE_NAME + " in " + callDir.getFileName() + " is unreadable: " + e.getMessage());
        }
    }
}
