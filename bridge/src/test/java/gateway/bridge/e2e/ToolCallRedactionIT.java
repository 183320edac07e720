package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card number in the arguments the model gives a tool never reaches the recording: on a real SIPp call the demo
 * agent calls end_call with a reason that quotes the caller's card, the gateway runs the tool with the arguments as
 * given (the model's call is not changed), and call.json's {@code tools} holds the mask where the number was, with
 * {@code redactions} saying where it sits; no file of the call holds the digits.
 */
@Tag("e2e")
class ToolCallRedactionIT {

    private static final int RTP_MIN = 42_600;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final String ARGUMENTS = "{\"reason\":\"the caller read out 4111 1111 1111 1111\"}";
    private static final String STORED = "{\"reason\":\"the caller read out [redacted:card]\"}";

    @TempDir
    Path recordings;

    @Test
    void aCardNumberInAToolCallsArgumentsIsStoredMasked() throws Exception {
        DemoScript script = GatewayUnderIT.wholeReplies().withToolCallAfterSpeech(1, "end_call", ARGUMENTS);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_gateway_hangs_up.xml").run(gw.sipPort(), "tool-redaction");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the gateway's BYE: " + sipp.describe());

            List<DemoConnection.ToolCall> calls = gw.agent().connection(1).toolCalls();
            assertEquals(1, calls.size(), calls.toString());
            assertEquals("{\"call\":\"ending\"}", calls.get(0).output(), "the tool ran on what the model gave");

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            JsonNode root = call.json().root();
            JsonNode tool = root.path("tools").get(0);
            assertEquals("end_call", tool.path("name").asText(), root.toString());
            assertEquals(STORED, tool.path("arguments").toString());
            JsonNode spans = root.path("redactions");
            assertEquals(1, spans.size(), spans.toString());
            JsonNode span = spans.get(0);
            assertEquals(tool.path("call_id").asText(), span.path("item_id").asText(), span.toString());
            assertEquals("tool_arguments", span.path("field").asText(), span.toString());
            assertEquals("card", span.path("kind").asText(), span.toString());
            assertEquals("[redacted:card]", STORED.substring(span.path("start_char").asInt(),
                    span.path("end_char").asInt()), span.toString());
            try (Stream<Path> files = Files.list(call.dir())) {
                for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".wav")).toList()) {
                    assertFalse(Files.readString(file).contains("4111"), file + " holds the card number");
                }
            }
        }
    }
}
