package gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallFile;
import java.io.IOException;
import java.util.Map;

/**
 * The {@code files} object of call.json: the size and SHA-256 of each other file of the call, e.g.
 * {@code "files": {"audio.wav": {"bytes": 960044, "sha256": "9f…"}}}. It is added to the finished call.json before
 * the upload (the recorder wrote that file for the last time, so nothing races it) and every other field is kept
 * as it was. call.json cannot hold its own checksum: that one is in storage.json.
 */
final class FileChecksums {

    static final String FIELD = "files";
    /** The recorder's call.json layout: indented JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FileChecksums() {
    }

    /** call.json with {@code files} set to {@code digests}; the same bytes when it already says exactly that. */
    static byte[] apply(byte[] callJson, Map<CallFile, Digest> digests) throws IOException {
        JsonNode tree = MAPPER.readTree(callJson);
        if (!(tree instanceof ObjectNode root)) {
            throw new IOException("call.json is not a JSON object");
        }
        ObjectNode files = MAPPER.createObjectNode();
        for (Map.Entry<CallFile, Digest> e : digests.entrySet()) {
            files.putObject(e.getKey().fileName())
                    .put("bytes", e.getValue().bytes())
                    .put("sha256", e.getValue().hex());
        }
        if (files.equals(root.get(FIELD))) {
            return callJson;
        }
        root.set(FIELD, files);
        return MAPPER.writeValueAsBytes(root);
    }
}
