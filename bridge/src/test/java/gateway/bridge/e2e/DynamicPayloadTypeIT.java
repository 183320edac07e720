package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that offers PCMA only under the dynamic payload type 98 (RFC 3551 §6, RFC 4566 §6 a=rtpmap) is answered
 * with 98, and 98 carries A-law both ways: the test owns the caller's media socket, sends A-law speech as PT 98 and
 * checks the bytes the gateway sends back. The caller hangs up once the echo has played.
 */
@Tag("e2e")
class DynamicPayloadTypeIT {

    private static final int RTP_MIN = 32_300;
    private static final int DYNAMIC_PT = 98;
    /** G.711 A-law encodes 0 as 0xD5 (ITU-T G.711 Table 1a); mu-law encodes it as 0xFF. */
    private static final byte ALAW_ZERO = (byte) 0xD5;
    /** The caller speaks the short fixture's speech and 0.7 s of its silence, then its stream goes on silent. */
    private static final int SEND_BYTES = 2_500 * 8;
    /** Deadline for each step of the call (the echo has played some 4.3 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    /** The echo has been up- and downsampled and re-encoded on its way back: close, not equal. */
    private static final double WIRE_ECHO_SCORE = 0.99;
    /**
     * Sample 0 is taken just before the 200 OK is built, and SIPp logs that 200 a little later; the first packet
     * of the test's stream is placed at the moment the call's loop reads it. Each may take longer on a busy
     * machine: the test's speech is recorded up to this much later than it measures.
     */
    private static final long HANDLING_SLACK_MS = 250;
    /** The recorded speech against the JDK-decoded, linearly resampled reference: about 0.995 when it is there. */
    private static final double SPEECH_SCORE = 0.8;

    @TempDir
    Path recordings;

    @Test
    void payloadType98IsAnsweredAndCarriesALawBothWays() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_dynamic_pcma.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "dynamic-pt");
            // The gateway's first tick after the answer goes to the SDP address: that is its RTP address.
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            byte[] speech = Arrays.copyOf(Speech.bytes("speech_short.alaw"), SEND_BYTES);
            LocalDateTime spokeAt;
            Sipp.Result sipp;
            try (RtpPeer.Stream talk = caller.stream(first.source(), DYNAMIC_PT, ALAW_ZERO)) {
                spokeAt = talk.say(speech).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).sentAt();
                LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
                running.cue("the reply played to its end");
                sipp = running.await();
            }
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);

            SdpBody answer = SdpBody.of(sipp.response(200, "INVITE"));
            SdpBody.Origin origin = answer.origin();
            assertEquals(List.of(
                    "v=0",
                    "o=gateway " + origin.sessionId() + " " + origin.version() + " IN IP4 127.0.0.1",
                    "s=gateway",
                    "c=IN IP4 127.0.0.1",
                    "t=0 0",
                    "m=audio " + answer.audioPort() + " RTP/AVP 98 101",
                    "a=rtpmap:98 PCMA/8000",
                    "a=rtpmap:101 telephone-event/8000",
                    "a=fmtp:101 0-15",
                    "a=ptime:20",
                    "a=sendrecv"), answer.lines(), "the answer keeps the offer's payload type 98 for PCMA");
            assertWhatTheGatewaySent(caller.received(), answer.audioPort());
            assertRecorded(call, sipp, spokeAt, Echoes.skippedTicks(gw));
        }
    }

    /** Every packet is PT 98 from the answered port; silence is A-law zero, and the echo decodes as A-law. */
    private static void assertWhatTheGatewaySent(List<RtpPeer.Packet> packets, int gatewayPort) throws Exception {
        for (RtpPeer.Packet p : packets) {
            assertEquals(new InetSocketAddress("127.0.0.1", gatewayPort), p.source());
            assertEquals(DYNAMIC_PT, p.payloadType(), "the answered payload type, not PCMA's static 8");
        }
        byte[] silence = packets.get(0).payload();
        byte[] aLawSilence = new byte[silence.length];
        Arrays.fill(aLawSilence, ALAW_ZERO);
        assertTrue(Arrays.equals(aLawSilence, silence), "silence before the reply is A-law zero: "
                + Arrays.toString(silence));

        byte[] wire = RtpPeer.payloads(packets);
        short[] said = Signals.head(Speech.decoded8k("speech_short.alaw"), 8000, Speech.SHORT_SPEECH_MS);
        Signals.Match asAlaw = Signals.bestMatch(Signals.decodeAlaw(wire), said, 0, wire.length - said.length);
        assertTrue(asAlaw.score() >= WIRE_ECHO_SCORE, "the echo, read as A-law, is what was said: " + asAlaw);
    }

    /** What the test sent as PT 98 is on the left channel where it was sent; the reply is its echo, whole. */
    private static void assertRecorded(RecordedCall call, Sipp.Result sipp, LocalDateTime spokeAt, long skipped)
            throws Exception {
        CallJson json = call.json();
        assertEquals("PCMA", json.text("codec"));
        assertEquals("caller_bye", json.text("end_reason"));
        CallIsAnsweredAndRecordedIT.assertWavShape(call);
        int rate = RecordedCall.SAMPLE_RATE;
        long expectedMs = Duration.between(sipp.response(200, "INVITE").time(), spokeAt).toMillis();
        Signals.Match m = Signals.bestMatch(call.caller(), Speech.shortReference("speech_short.alaw"),
                (int) Math.max(0, (expectedMs - HANDLING_SLACK_MS) * rate / 1000),
                (int) ((expectedMs + 2 * HANDLING_SLACK_MS) * rate / 1000));
        assertTrue(m.score() >= SPEECH_SCORE, "the left channel holds the A-law speech sent as PT 98: " + m);
        assertTrue(m.lagMs(rate) >= expectedMs - 1 && m.lagMs(rate) <= expectedMs + HANDLING_SLACK_MS,
                "sent " + expectedMs + " ms after SIPp had the 200, recorded at " + m.lagMs(rate) + " ms");
        List<Signals.Segment> spoken = Signals.activity(call.caller(), rate, 20,
                CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
        assertEquals(1, spoken.size(), spoken.toString());
        List<CallJson.Turn> replies = json.turns("assistant");
        assertEquals(1, replies.size(), json.toString());
        Echoes.assertPlayedWhole(call, spoken.get(0), replies.get(0), skipped);
        Echoes.assertSilentOutsideTurns(call);
    }
}
