package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIPp caller speaks, the demo agent echoes it, the caller hangs up once the echo has played: the call is
 * answered with the offered codec and recorded with both sides aligned to the answer.
 */
@Tag("e2e")
class CallIsAnsweredAndRecordedIT {

    /** Deadline for each step of the call (the echo has played some 7.7 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /** 20 ms windows above this RMS count as speech (the fixture's words are far louder). */
    static final double SPEECH_RMS = 300;
    /** How long after its ACK SIPp may start streaming RTP; the recording places the audio where it arrived. */
    static final long SIPP_RTP_START_SLACK_MS = 200;
    /** Below this RMS a stretch counts as silent (about -50 dBFS). */
    static final double SILENCE_RMS = 100;
    /** Pauses between the fixture's words are at most ~300 ms; the turn detector waits 500 ms. */
    static final long WORD_GAP_MS = 450;

    @TempDir
    Path recordings;

    @Test
    void pcmuCallIsAnsweredEchoedAndRecorded() throws Exception {
        answeredAndRecorded("uac_speech_cue.xml", "PCMU", 0, "speech.ulaw", 31_000, "answered-pcmu");
    }

    @Test
    void pcmaCallIsAnsweredEchoedAndRecorded() throws Exception {
        answeredAndRecorded("uac_speech_pcma.xml", "PCMA", 8, "speech.alaw", 31_100, "answered-pcma");
    }

    private void answeredAndRecorded(String scenario, String codec, int payloadType, String speechFile, int rtpMin,
                                     String logName) throws Exception {
        Sipp.Result sipp;
        try (GatewayUnderIT gw = GatewayUnderIT.start(rtpMin, recordings)) {
            Sipp.Running running = Sipp.scenario(scenario).start(gw.sipPort(), logName);
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply played to its end");
            sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);

            assertAnswerSdp(sipp.response(200, "INVITE"), payloadType);
            assertMetadata(call, sipp, codec);
            assertWavShape(call);
            short[] reference = Speech.reference(speechFile);
            long expectedSpeechStartMs = millisBetween(sipp.response(200, "INVITE"), sipp.sent("ACK"));
            assertCallerChannel(call, reference, expectedSpeechStartMs);
            CallJson.Turn caller = assertCallerTurn(call);
            CallJson.Turn assistant = assertAssistantTurn(call, caller);
            assertAssistantChannel(call, reference, assistant);
            assertCaptions(call);
            assertTrue(gw.agent().connections() >= 1, "the gateway opened a Realtime session");
        }
        assertEquals(1, Recordings.callDirs(recordings).size(), "exactly one call directory per call");
    }

    static void assertAnswerSdp(SipMessage ok, int payloadType) {
        assertEquals("application/sdp", ok.header("Content-Type").orElse("").strip().toLowerCase(), ok.toString());
        assertTrue(Pattern.compile("(?m)^m=audio [1-9][0-9]* RTP/AVP " + payloadType + "( |$)")
                .matcher(ok.body()).find(), "answer chose PT " + payloadType + ": " + ok.body());
        assertTrue(ok.body().contains("c=IN IP4 127.0.0.1"), "answer's media address is the public host: " + ok.body());
        assertTrue(ok.header("Contact").isPresent(), "200 OK has a Contact");
    }

    static void assertMetadata(RecordedCall call, Sipp.Result sipp, String codec) {
        CallJson json = call.json();
        assertEquals(codec, json.text("codec"), json.toString());
        assertEquals("caller_bye", json.text("end_reason"), json.toString());
        assertEquals(sipp.sent("INVITE").header("Call-ID").orElseThrow(), json.text("sip_call_id"));
        assertTrue(json.text("from").contains("sipp@127.0.0.1"), json.text("from"));
        assertTrue(json.text("to").contains("127.0.0.1"), json.text("to"));
        assertFalse(json.text("id").isBlank());
        assertFalse(json.text("started_at").isBlank());
        assertFalse(json.text("ended_at").isBlank());
        assertEquals(call.dir().getFileName().toString(), json.text("id"), "the directory is named after the id");
        long answeredToBye = millisBetween(sipp.response(200, "INVITE"), sipp.sent("BYE"));
        assertEquals(answeredToBye, json.durationMs(), 250, "duration_ms is answer to BYE: " + json);
    }

    static void assertWavShape(RecordedCall call) {
        WavReader.Wav wav = call.wav();
        assertEquals(RecordedCall.SAMPLE_RATE, wav.sampleRate());
        assertEquals(2, wav.channels());
        assertEquals(call.json().durationMs() * 24.0, wav.frames(), 24, "WAV length is the call length");
    }

    /** The caller's speech is on the left channel where SIPp sent it relative to the answer. */
    static void assertCallerChannel(RecordedCall call, short[] reference, long expectedStartMs) {
        int rate = RecordedCall.SAMPLE_RATE;
        Signals.Match m = Signals.bestMatch(call.caller(), reference, -rate / 5, rate / 2);
        assertTrue(m.score() >= 0.8, "left channel holds the caller's speech: " + m);
        // SIPp's rtp_stream thread starts sending some time after the ACK: 17-28 ms typically, 110 ms seen once.
        assertEquals(expectedStartMs, m.lagMs(rate), SIPP_RTP_START_SLACK_MS,
                "caller speech position relative to answer: " + m);
    }

    /** The first caller turn brackets the speech on the left channel and carries the placeholder transcript. */
    static CallJson.Turn assertCallerTurn(RecordedCall call) {
        List<Signals.Segment> speech = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20, SPEECH_RMS,
                WORD_GAP_MS);
        assertFalse(speech.isEmpty(), "speech on the left channel");
        Signals.Segment spoken = speech.get(0);
        List<CallJson.Turn> callerTurns = call.json().turns("caller");
        assertFalse(callerTurns.isEmpty(), call.json().toString());
        CallJson.Turn turn = callerTurns.get(0);
        assertEquals(spoken.startMs(), turn.startMs(), 350, "caller turn start vs speech " + spoken + ": " + turn);
        assertTrue(turn.endMs() >= spoken.endMs() - 350 && turn.endMs() <= spoken.endMs() + 500 + 350,
                "caller turn end vs speech " + spoken + ": " + turn);
        assertFalse(turn.text().isBlank(), "caller transcript: " + turn);
        assertFalse(turn.interrupted());
        return turn;
    }

    static CallJson.Turn assertAssistantTurn(RecordedCall call, CallJson.Turn caller) {
        CallJson.Turn reply = call.json().turns("assistant").stream()
                .filter(t -> t.startMs() >= caller.startMs())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no assistant turn after the caller's: " + call.json()));
        assertTrue(reply.startMs() >= caller.endMs() - 100, "reply starts after the caller's turn: " + reply);
        assertTrue(reply.endMs() > reply.startMs() && reply.endMs() <= call.json().durationMs(), reply.toString());
        assertFalse(reply.text().isBlank(), "assistant transcript: " + reply);
        assertFalse(reply.interrupted(), reply.toString());
        return reply;
    }

    /** The right channel is silent until the reply, then holds the echoed speech, then is silent again. */
    static void assertAssistantChannel(RecordedCall call, short[] reference, CallJson.Turn reply) {
        int rate = RecordedCall.SAMPLE_RATE;
        short[] right = call.assistant();
        double before = Signals.rmsMs(right, rate, 0, reply.startMs() - 60);
        assertTrue(before < SILENCE_RMS, "right channel silent before the reply, RMS " + before);
        int expectedLag = (int) (reply.startMs() * rate / 1000);
        Signals.Match m = Signals.bestMatch(right, reference, expectedLag - rate / 2, expectedLag + rate / 2);
        assertTrue(m.score() >= 0.6, "right channel holds the echoed speech: " + m);
        assertEquals(reply.startMs(), m.lagMs(rate), 60, "echo starts with the assistant turn " + reply + ": " + m);
        long quietFrom = reply.endMs() + 60;
        long end = call.json().durationMs();
        if (quietFrom < end) {
            double after = Signals.rmsMs(right, rate, quietFrom, end);
            assertTrue(after < SILENCE_RMS, "right channel silent after the reply, RMS " + after);
        }
    }

    static void assertCaptions(RecordedCall call) {
        assertTrue(call.vtt().startsWith("WEBVTT"), call.vtt());
        assertTrue(call.vtt().contains("-->") && call.srt().contains("-->"), call.srt());
        for (CallJson.Turn t : call.json().turns()) {
            assertTrue(call.vtt().contains(t.text()), "captions.vtt has \"" + t.text() + "\"");
            assertTrue(call.srt().contains(t.text()), "captions.srt has \"" + t.text() + "\"");
        }
    }

    /** Milliseconds between two logged SIPp messages. */
    static long millisBetween(SipMessage from, SipMessage to) {
        return Duration.between(from.time(), to.time()).toMillis();
    }
}
