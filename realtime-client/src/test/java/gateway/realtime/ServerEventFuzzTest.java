package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Any server text frame through {@link ServerEventParser}: nothing escapes, the frame's reader index and reference
 * count are left as they were (the connection owns it), and a frame that is a JSON object is never dropped as
 * "not a JSON event" (that catch is for bytes that are not JSON, not for our own failures on odd field types).
 * Seeds: the protocol's events as the tests and {@code docs/realtime-protocol.md} show them
 * ({@code ServerEventFuzzTestInputs}).
 */
class ServerEventFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_JSON = "Ignoring a Realtime frame that is not a JSON event";

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aFrameIsAnEventOrDroppedAsNotJson(byte[] text) {
        ByteBuf frame = Unpooled.directBuffer(text.length).writeBytes(text);
        try (LogCapture log = LogCapture.of(ServerEventParser.class)) {
            new ServerEventParser(new LongAdder()).parse(frame, new RecordingListener());
            assertEquals(0, frame.readerIndex(), "reader index restored");
            assertEquals(1, frame.refCnt(), "the frame stays the caller's");
            FuzzInvariants.nothingThrown(log);
            if (isJsonObject(text)) {
                List<String> dropped = log.lines().stream().map(LogCapture.Line::message)
                        .filter(message -> message.startsWith(NOT_JSON)).toList();
                assertEquals(List.of(), dropped, "a JSON object is an event");
            }
        } finally {
            frame.release();
        }
    }

    private static boolean isJsonObject(byte[] text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }
}
