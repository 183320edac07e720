package gateway.bridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The caller audio one demo agent connection read, from the {@code input_audio_buffer.append} frames it kept
 * ({@code DemoScript.withRecordFrames}): PCM16 little-endian at 24 kHz (docs/realtime-protocol.md §4).
 */
final class Appends {

    private static final String APPEND = "input_audio_buffer.append";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Appends() {
    }

    /** Every sample connection {@code c} read, in order. */
    static short[] samples(DemoConnection c) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        int bytes = 0;
        for (String frame : c.receivedFrames()) {
            if (frame.contains(APPEND)) {
                JsonNode event = JSON.readTree(frame);
                if (APPEND.equals(event.path("type").asText())) {
                    byte[] audio = Base64.getDecoder().decode(event.path("audio").asText());
                    chunks.add(audio);
                    bytes += audio.length;
                }
            }
        }
        ByteBuffer all = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        chunks.forEach(all::put);
        short[] samples = new short[bytes / 2];
        all.flip().asShortBuffer().get(samples);
        return samples;
    }
}
