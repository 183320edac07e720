package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.rtp.G711;
import gateway.testkit.Signals;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --realtime.audio-format=pcmu} end to end: a SIPp PCMU caller's speech reaches the demo agent as the very
 * μ-law octets SIPp played from its file, a PCMA caller's as the same audio transcoded law to law, the agent's
 * μ-law echo plays back, and the stereo WAV holds both sides where they were said and heard.
 */
@Tag("e2e")
class G711ToModelIT {

    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PCMU_MODE = List.of("--realtime.audio-format=pcmu");

    @TempDir
    Path recordings;

    @Test
    void aPcmuCallerIsHeardByTheModelAsTheOctetsItSent() throws Exception {
        byte[] played = Speech.bytes("speech.ulaw");
        callInPcmuMode("uac_speech_cue.xml", "PCMU", 0, "speech.ulaw", 40_100, played, "g711-pcmu");
    }

    @Test
    void aPcmaCallerIsTranscodedToMuLawForTheModel() throws Exception {
        byte[] alaw = Speech.bytes("speech.alaw");
        byte[] expected = new byte[alaw.length];
        for (int i = 0; i < alaw.length; i++) {
            expected[i] = G711.PCMU.encode(G711.PCMA.decode(alaw[i]));
        }
        callInPcmuMode("uac_speech_pcma.xml", "PCMA", 8, "speech.alaw", 40_150, expected, "g711-pcma");
    }

    private void callInPcmuMode(String scenario, String codec, int payloadType, String speechFile, int rtpMin,
                                byte[] expectedAtModel, String logName) throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies().withRecordFrames(true), rtpMin,
                recordings, PCMU_MODE)) {
            Sipp.Running running = Sipp.scenario(scenario).start(gw.sipPort(), logName);
            LiveRecording.of(recordings, STEP_WITHIN).awaitReplyEnded(STEP_WITHIN);
            running.cue("the reply played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);

            List<String> frames = gw.agent().receivedFrames();
            JsonNode update = JSON.readTree(frames.stream().filter(f -> f.contains("\"session.update\""))
                    .findFirst().orElseThrow());
            JsonNode audio = update.path("session").path("audio");
            assertEquals("{\"type\":\"audio/pcmu\"}", audio.path("input").path("format").toString());
            assertEquals("{\"type\":\"audio/pcmu\"}", audio.path("output").path("format").toString());
            byte[] heard = appended(frames);
            assertTrue(indexOf(heard, expectedAtModel) >= 0, "the agent received the " + expectedAtModel.length
                    + " octets of " + speechFile + " in μ-law, in order and unchanged, among the " + heard.length
                    + " it got");

            CallIsAnsweredAndRecordedIT.assertAnswerSdp(sipp.response(200, "INVITE"), payloadType);
            assertEquals(codec, call.json().text("codec"));
            CallIsAnsweredAndRecordedIT.assertWavShape(call);
            short[] reference = Speech.reference(speechFile);
            long speechStartMs = CallIsAnsweredAndRecordedIT.millisBetween(sipp.response(200, "INVITE"),
                    sipp.sent("ACK"));
            CallIsAnsweredAndRecordedIT.assertCallerChannel(call, reference, speechStartMs);
            CallJson.Turn caller = CallIsAnsweredAndRecordedIT.assertCallerTurn(call);
            CallJson.Turn reply = CallIsAnsweredAndRecordedIT.assertAssistantTurn(call, caller);
            assertReplyInPlace(call, reply);
        }
    }

    /**
     * The right channel is silent before the reply and carries it where the assistant turn says, as long as the
     * caller's speech (an echo). Timing and extent, not a sample match: the echo was coded and resampled four times
     * (caller's law, μ-law to the agent, its 24 kHz, μ-law back), so its waveform is the speech's only roughly.
     */
    private static void assertReplyInPlace(RecordedCall call, CallJson.Turn reply) {
        int rate = RecordedCall.SAMPLE_RATE;
        short[] right = call.assistant();
        double before = Signals.rmsMs(right, rate, 0, reply.startMs() - 60);
        assertTrue(before < CallIsAnsweredAndRecordedIT.SILENCE_RMS, "right channel silent before the reply, RMS "
                + before);
        List<Signals.Segment> spoken = Signals.activity(right, rate, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
        assertTrue(!spoken.isEmpty(), "the reply is on the right channel");
        Signals.Segment echo = spoken.get(0);
        assertEquals(reply.startMs(), echo.startMs(), 60, "the reply starts with its turn: " + echo + ", " + reply);
        Signals.Segment said = Signals.activity(call.caller(), rate, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                CallIsAnsweredAndRecordedIT.WORD_GAP_MS).get(0);
        assertEquals(said.endMs() - said.startMs(), echo.endMs() - echo.startMs(), 300,
                "the echo is as long as the caller's speech: " + echo + ", " + said);
    }

    /** The octets of every input_audio_buffer.append the agent received, joined in order. */
    private static byte[] appended(List<String> frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String frame : frames) {
            if (frame.contains("\"input_audio_buffer.append\"")) {
                out.writeBytes(Base64.getDecoder().decode(JSON.readTree(frame).path("audio").asText()));
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
