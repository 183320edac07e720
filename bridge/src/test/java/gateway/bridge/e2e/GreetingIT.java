package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.call.ConsentPrompt;
import gateway.config.ConfigKey;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import gateway.testkit.WavWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent speaks first: with {@code agent.greeting} the gateway asks for the greeting as it answers, so a caller
 * who says nothing hears it right after the ACK, or right after the consent announcement when there is one. The
 * demo agent says an instructed reply as its tone, so the recording shows exactly where the greeting played. Each
 * test prints the time from the ACK to the first greeting sample sent to the caller.
 */
@Tag("e2e")
class GreetingIT {

    private static final int RTP_MIN = 38_300;
    private static final String GREETING = "Thank you for calling Acme.";
    private static final int GREETING_MS = 1_500;
    private static final int ANNOUNCEMENT_MS = 800;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /** The tone correlates perfectly with itself; anything else does not. */
    private static final double SAME_SOUND = 0.99;
    /** From a response's first audio delta received to its first frame played; the median of one is that one. */
    private static final String FIRST_AUDIO_DELAY = "gateway_first_audio_delay_us{quantile=\"0.5\"}";

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    /**
     * A finished greeted call, and how long the greeting's audio waited at the gateway from its arrival to its first
     * frame played (the first-audio-delay metric of the call's one response).
     */
    private record Greeted(RecordedCall call, long waitedMs) {
    }

    @Test
    void theGreetingPlaysRightAfterTheAnswer() throws Exception {
        RecordedCall call = greetedCall(List.of(), "greeting").call();
        int start = firstSound(call.assistant());
        assertSounds(call.assistant(), DemoAgent.tone(GREETING_MS), start);
        CallJson.Turn turn = call.json().turns("assistant").get(0);
        assertTrue(turn.text().endsWith(GREETING), "the greeting's turn: " + turn);
        assertEquals(start / 24, turn.startMs(), Echoes.TICK_MS);
    }

    @Test
    void theGreetingFollowsTheConsentAnnouncement() throws Exception {
        short[] announcement = Signals.sine(600, 24_000, 9000, ANNOUNCEMENT_MS * 24);
        Path wav = work.resolve("consent.wav");
        WavWriter.write(wav, 24_000, announcement);
        Greeted greeted = greetedCall(List.of("--recordings.consent-prompt=" + wav), "greeting-after-consent");
        RecordedCall call = greeted.call();
        short[] assistant = call.assistant();
        assertSounds(assistant, announcement, firstSound(assistant));
        List<CallJson.Turn> turns = call.json().turns("assistant");
        assertEquals(ConsentPrompt.ITEM_ID, turns.get(0).itemId());
        CallJson.Turn greeting = turns.get(1);
        assertTrue(greeting.startMs() >= turns.get(0).endMs(), "the greeting after the announcement: " + turns);
        // Its audio usually comes while the announcement plays and waits behind it; on a loaded machine it may come
        // later and play as it comes. Either way the greeting starts at the later of the two, within a tick or two.
        long arrivedMs = greeting.startMs() - greeted.waitedMs();
        assertEquals(Math.max(turns.get(0).endMs(), arrivedMs), greeting.startMs(), 2 * Echoes.TICK_MS,
                "at once after the announcement or its own arrival (" + arrivedMs + " ms), whichever was later: "
                        + turns);
        assertSounds(assistant, DemoAgent.tone(GREETING_MS), (int) (greeting.startMs() * 24));
    }

    /** A silent caller's call with the greeting (and {@code flags}), hung up once the greeting has played. */
    private Greeted greetedCall(List<String> flags, String logName) throws Exception {
        DemoScript script = DemoScript.defaults().withToneMs(GREETING_MS).withDeltaMs(GREETING_MS);
        List<String> args = new ArrayList<>(flags);
        args.add("--agent.greeting=" + GREETING);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, args)) {
            Sipp.Running running = Sipp.scenario("uac_silent_cue.xml").start(gw.sipPort(), logName);
            gw.awaitReplyPlaying(1, GREETING_MS, STEP_WITHIN);
            long waitedMs = (long) gw.metric(FIRST_AUDIO_DELAY) / 1000;
            running.cue("the greeting played");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            DemoConnection session = gw.agent().connection(1);
            String asked = session.responseRequests().get(0);
            assertTrue(asked.endsWith("Greet the caller now by saying: " + GREETING), asked);
            assertTrue(asked.startsWith(ConfigKey.AGENT_INSTRUCTIONS.defaultValue()),
                    "with the session's instructions: " + asked);
            assertEquals("assistant", session.conversation().get(0).role(), "before anything the caller said");

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            long answerToAck = CallIsAnsweredAndRecordedIT.millisBetween(sipp.response(200, "INVITE"),
                    sipp.sent("ACK"));
            int greetingStart = firstSound(call.assistant());
            if (flags.isEmpty()) {
                System.out.println("greeting: ACK -> first greeting sample sent to the caller "
                        + (greetingStart / 24 - answerToAck) + " ms (answer -> first sample " + greetingStart / 24
                        + " ms; the demo agent replies " + script.replyDelayMs() + " ms after response.create)");
            }
            return new Greeted(call, waitedMs);
        }
    }

    /** The first sample of the channel that is not silence. */
    private static int firstSound(short[] channel) {
        for (int i = 0; i < channel.length; i++) {
            if (Math.abs(channel[i]) > CallIsAnsweredAndRecordedIT.SILENCE_RMS) {
                return i;
            }
        }
        throw new AssertionError("the channel is silent");
    }

    /** Asserts that {@code channel} holds {@code sound} from about {@code at} (within a tick). */
    private static void assertSounds(short[] channel, short[] sound, int at) {
        Signals.Match m = Signals.bestMatch(channel, sound, Math.max(0, at - Echoes.FRAME), at + Echoes.FRAME);
        assertTrue(m.score() >= SAME_SOUND, "the channel holds the sound at " + at + ": " + m);
    }
}
