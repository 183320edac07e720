package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A caller who says hello and then nothing: after {@code agent.silence-prompt-ms} of silence with nothing playing
 * the agent asks whether the caller is still there, twice ({@code agent.silence-max-prompts}), then says goodbye; the
 * gateway hangs up once the goodbye has played, and call.json says caller_silent. Checked on what the model was asked,
 * on the recording (where each prompt played, after how much silence) and on SIPp's BYE.
 */
@Tag("e2e")
class SilentCallerIT {

    private static final int RTP_MIN = 38_400;
    private static final long PROMPT_AFTER_MS = 1_500;
    private static final int PROMPTS = 2;
    private static final int TONE_MS = 400;
    /**
     * A prompt comes after the silence, plus the time the service takes to answer (the demo agent: 200 ms) and the
     * call's loop to take it; a busy machine takes longer. Bounds that the prompt follows the silence, not some other
     * event much later.
     */
    private static final long PROMPT_SLACK_MS = 1_500;
    private static final Duration CALL_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path recordings;

    @Test
    void aSilentCallerIsPromptedTwiceThenTheAgentSaysGoodbyeAndHangsUp() throws Exception {
        DemoScript script = DemoScript.defaults().withReplyMode(DemoScript.ReplyMode.TONE).withToneMs(TONE_MS)
                .withDeltaMs(TONE_MS);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, List.of(
                "--agent.silence-prompt-ms=" + PROMPT_AFTER_MS, "--agent.silence-max-prompts=" + PROMPTS))) {
            Sipp.Result sipp = Sipp.scenario("uac_silent_after_hello.xml").run(gw.sipPort(), "silent-caller");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the gateway's BYE: " + sipp.describe());
            SipMessage bye = sipp.messages().stream()
                    .filter(m -> m.received() && !m.isResponse() && m.method().equals("BYE")).findFirst()
                    .orElseThrow(() -> new AssertionError("no BYE from the gateway"));

            RecordedCall call = RecordedCall.awaitOnly(recordings, CALL_WITHIN);
            CallJson json = call.json();
            assertEquals("caller_silent", json.text("end_reason"), json.toString());

            DemoConnection session = gw.agent().connection(1);
            List<String> asked = session.responseRequests();
            assertEquals(PROMPTS + 1, asked.size(), "two prompts and the goodbye: " + asked);
            for (int i = 0; i < PROMPTS; i++) {
                assertTrue(asked.get(i).endsWith("Ask briefly whether they are still there."), asked.get(i));
            }
            assertTrue(asked.get(PROMPTS).endsWith("Say a short, polite goodbye now; the call ends after it."),
                    asked.get(PROMPTS));

            // The reply to the hello, the two prompts and the goodbye, each after the silence before it.
            List<Signals.Segment> said = Signals.activity(call.assistant(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, 100);
            assertEquals(PROMPTS + 2, said.size(), "the reply, the prompts and the goodbye: " + said);
            for (int i = 1; i < said.size(); i++) {
                long silence = said.get(i).startMs() - said.get(i - 1).endMs();
                assertTrue(silence >= PROMPT_AFTER_MS - Echoes.TICK_MS && silence <= PROMPT_AFTER_MS + PROMPT_SLACK_MS,
                        "prompt " + i + " after " + silence + " ms of silence: " + said);
            }
            Signals.Segment goodbye = said.get(said.size() - 1);
            assertEquals(TONE_MS, goodbye.endMs() - goodbye.startMs(), 2 * Echoes.TICK_MS, "played whole: " + said);
            long answerToBye = CallIsAnsweredAndRecordedIT.millisBetween(sipp.response(200, "INVITE"), bye);
            assertTrue(answerToBye >= goodbye.endMs() - Echoes.TICK_MS, "BYE at " + answerToBye
                    + " ms, after the goodbye ended at " + goodbye.endMs() + " ms");
            List<CallJson.Turn> turns = json.turns("assistant");
            assertEquals(PROMPTS + 2, turns.size(), json.toString());
            assertTrue(turns.get(turns.size() - 1).text().startsWith("The caller has still said nothing."),
                    turns.toString());
            assertEquals(1.0, gw.metric("gateway_calls_ended_total{reason=\"caller_silent\"}"));
        }
    }
}
