package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model ends the call: after the caller's turn it says its reply and calls end_call in the same response, as a
 * model says goodbye and hangs up. The gateway plays the goodbye whole, then sends BYE; call.json says agent_hangup,
 * lists the tool call, and sums what the responses cost.
 */
@Tag("e2e")
class EndCallIT {

    private static final int RTP_MIN = 38_100;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void theGoodbyePlaysWholeThenTheGatewayHangsUp() throws Exception {
        DemoScript script = GatewayUnderIT.wholeReplies().withToolCallAfterSpeech(1, "end_call", "{}");
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_gateway_hangs_up.xml").run(gw.sipPort(), "end-call");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the gateway's BYE: " + sipp.describe());
            SipMessage bye = sipp.messages().stream()
                    .filter(m -> m.received() && !m.isResponse() && m.method().equals("BYE")).findFirst()
                    .orElseThrow(() -> new AssertionError("no BYE from the gateway"));

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            assertEquals("agent_hangup", json.text("end_reason"), json.toString());

            // What the model got: the call's output, and no request to go on (the call was ending).
            DemoConnection session = gw.agent().connection(1);
            List<DemoConnection.ToolCall> calls = session.toolCalls();
            assertEquals(1, calls.size(), calls.toString());
            assertEquals("end_call", calls.get(0).name());
            assertEquals("{\"call\":\"ending\"}", calls.get(0).output());
            assertEquals(List.of(), session.responseRequests(), "the gateway asked for no response after end_call");

            // What the caller heard: the whole goodbye (the echo of what it said), then the BYE.
            Signals.Segment utterance = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS).get(0);
            CallJson.Turn goodbye = json.turns("assistant").get(0);
            assertFalse(goodbye.interrupted(), goodbye.toString());
            Echoes.Echo echo = Echoes.assertPlayedWhole(call, utterance, goodbye, Echoes.skippedTicks(gw));
            long answerToBye = CallIsAnsweredAndRecordedIT.millisBetween(sipp.response(200, "INVITE"), bye);
            assertTrue(answerToBye >= echo.toMs(), "BYE at " + answerToBye + " ms, after the goodbye ended at "
                    + echo.toMs() + " ms");
            assertTrue(json.durationMs() >= goodbye.endMs(), "the recording holds the whole goodbye");

            JsonNode tool = json.root().path("tools").path(0);
            assertEquals("end_call", tool.path("name").asText());
            assertEquals(calls.get(0).callId(), tool.path("call_id").asText());
            assertEquals("{\"call\":\"ending\"}", tool.path("output").toString());
            assertTrue(tool.path("error").isNull(), tool.toString());
            assertTrue(tool.path("start_ms").asLong() <= goodbye.endMs(), "called before the goodbye ended: " + tool);

            List<DemoConnection.Usage> reported = session.usages();
            JsonNode usage = json.root().path("usage");
            assertEquals(reported.size(), usage.path("responses").asLong(), usage.toString());
            assertEquals(reported.stream().mapToLong(DemoConnection.Usage::inputAudioTokens).sum(),
                    usage.path("input_audio_tokens").asLong(), usage.toString());
            assertEquals(reported.stream().mapToLong(DemoConnection.Usage::outputAudioTokens).sum(),
                    usage.path("output_audio_tokens").asLong(), usage.toString());
            assertTrue(usage.path("output_audio_tokens").asLong() > 0, usage.toString());
            assertTrue(gw.metric("gateway_calls_ended_total{reason=\"agent_hangup\"}") >= 1);
            assertEquals(1.0, gw.metric("gateway_tool_calls_total{outcome=\"ok\",tool=\"end_call\"}"));
        }
    }
}
