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
 * A re-INVITE moves the caller's media to a new port mid-call (RFC 3264 §8.3.1): a socket the test owns. The
 * gateway's RTP goes there from then on, the caller's audio from there is recorded and answered, the answer SDP
 * stays byte for byte the same (our side did not change), and so does a later session refresh. The caller moves
 * once the reply to SIPp's utterance has played, refreshes once the reply to the test's has, and hangs up once the
 * gateway's RTP has gone on arriving at the new address after the refresh.
 */
@Tag("e2e")
class MediaMoveIT {

    private static final int RTP_MIN = 32_200;
    private static final int PCMU = 0;
    /** G.711 mu-law encodes 0 as 0xFF (ITU-T G.711 Table 2a). */
    private static final byte ULAW_ZERO = (byte) 0xFF;
    /** The move is the re-INVITE with CSeq 2; the refresh CSeq 3. */
    private static final int MOVE = 2;
    private static final int REFRESH = 3;
    /** The test's caller speaks the short fixture's speech and 0.7 s of its silence, then its stream goes on silent. */
    private static final int SEND_BYTES = 2_500 * 8;
    /** Deadline for each step of the call (each reply has played some 4.3 s after its turn); a failing test's end. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    /** The gateway's PCMU has been up- and downsampled and re-encoded on its way back: close, not equal. */
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
    void aReInviteMovesTheMediaAndARefreshKeepsItThere() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings);
             RtpPeer moved = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_media_move.xml")
                    .args("-key", "moved_port", String.valueOf(moved.port()))
                    .start(gw.sipPort(), "media-move");
            LiveRecording live = LiveRecording.of(recordings, STEP_WITHIN);
            live.awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply to SIPp's utterance played to its end");
            // The gateway sends to the new address as soon as the move applies; then the caller speaks from there.
            RtpPeer.Packet first = moved.awaitFirst(STEP_WITHIN);
            byte[] speech = Arrays.copyOf(Speech.bytes("speech_short.ulaw"), SEND_BYTES);
            LocalDateTime spokeAt;
            Sipp.Result sipp;
            try (RtpPeer.Stream talk = moved.stream(first.source(), PCMU, ULAW_ZERO)) {
                spokeAt = talk.say(speech).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).sentAt();
                live.awaitEchoPlayed(1, STEP_WITHIN);
                running.cue("the reply to the test's utterance played to its end");
                // The refresh's ACK is SIPp's last step before its last cue; the gateway's RTP must go on after it.
                SipMessage refreshed = running.awaitLogged(m -> !m.received() && m.method().equals("ACK")
                        && m.cseq() == REFRESH, STEP_WITHIN, "the ACK of the refresh");
                moved.awaitReceived(p -> p.get(p.size() - 1).arrival().isAfter(refreshed.time()), STEP_WITHIN,
                        "RTP after the refresh");
                running.cue("the gateway's RTP arrived at the new address after the refresh");
                sipp = running.await();
            }
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);

            SipMessage answered = sipp.response(200, "INVITE", 1);
            assertEquals(answered.body(), sipp.response(200, "INVITE", MOVE).body(),
                    "the move changes nothing on our side: the same SDP, the same o= version");
            assertEquals(answered.body(), sipp.response(200, "INVITE", REFRESH).body(),
                    "a session refresh gets the identical SDP");
            assertWhatArrivedAtTheNewAddress(moved, sipp, SdpBody.of(answered).audioPort());
            assertRecorded(call, sipp, spokeAt, Echoes.skippedTicks(gw));
        }
    }

    /**
     * Only after the move, and from then on (the refresh included), the gateway's one RTP stream arrives at the new
     * address: PCMU, sequence numbers without a hole, and the echo of what the test said from there.
     */
    private static void assertWhatArrivedAtTheNewAddress(RtpPeer moved, Sipp.Result sipp, int gatewayPort)
            throws Exception {
        List<RtpPeer.Packet> packets = moved.received();
        RtpPeer.Packet first = packets.get(0);
        RtpPeer.Packet last = packets.get(packets.size() - 1);
        assertTrue(first.arrival().isAfter(sipp.sent("INVITE", MOVE).time()),
                "nothing came to the new address before the move: " + first.arrival());
        assertTrue(last.arrival().isAfter(sipp.response(200, "INVITE", REFRESH).time()),
                "the refresh left the media at the new address: last packet " + last.arrival());
        for (int i = 0; i < packets.size(); i++) {
            RtpPeer.Packet p = packets.get(i);
            assertEquals(new InetSocketAddress("127.0.0.1", gatewayPort), p.source(), "from the answered port");
            assertEquals(PCMU, p.payloadType(), "the negotiated payload type");
            assertEquals(first.ssrc(), p.ssrc(), "one stream: the gateway's SSRC goes on across the move");
            assertEquals((first.sequence() + i) & 0xFFFF, p.sequence(), "no packet missing at " + i);
        }
        short[] heard = Signals.decodeUlaw(RtpPeer.payloads(packets));
        short[] said = Signals.head(Speech.decoded8k("speech_short.ulaw"), 8000, Speech.SHORT_SPEECH_MS);
        Signals.Match echo = Signals.bestMatch(heard, said, 0, heard.length - said.length);
        assertTrue(echo.score() >= WIRE_ECHO_SCORE, "the echo came back to the new address: " + echo);
    }

    /** Both utterances (SIPp's before the move, the test's after it) are recorded and echoed whole. */
    private static void assertRecorded(RecordedCall call, Sipp.Result sipp, LocalDateTime spokeAt, long skipped)
            throws Exception {
        CallJson json = call.json();
        assertEquals("PCMU", json.text("codec"));
        assertEquals("caller_bye", json.text("end_reason"));
        CallIsAnsweredAndRecordedIT.assertWavShape(call);
        List<Signals.Segment> spoken = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
        assertEquals(2, spoken.size(), "SIPp's utterance and the test's: " + spoken);

        // The test's speech sits where it was sent: the first packet of a new SSRC is placed at its arrival.
        int rate = RecordedCall.SAMPLE_RATE;
        long expectedMs = Duration.between(sipp.response(200, "INVITE", 1).time(), spokeAt).toMillis();
        short[] reference = Speech.shortReference("speech_short.ulaw");
        Signals.Match m = Signals.bestMatch(call.caller(), reference,
                (int) ((expectedMs - HANDLING_SLACK_MS) * rate / 1000),
                (int) ((expectedMs + 2 * HANDLING_SLACK_MS) * rate / 1000));
        assertTrue(m.score() >= SPEECH_SCORE, "the left channel holds what was said from the new address: " + m);
        assertTrue(m.lagMs(rate) >= expectedMs - 1 && m.lagMs(rate) <= expectedMs + HANDLING_SLACK_MS,
                "said " + expectedMs + " ms after SIPp had the 200, recorded at " + m.lagMs(rate) + " ms");

        List<CallJson.Turn> replies = json.turns("assistant");
        assertEquals(2, replies.size(), json.toString());
        assertEquals(2, json.turns("caller").size(), json.toString());
        Echoes.assertPlayedWhole(call, spoken.get(0), replies.get(0), skipped);
        Echoes.assertPlayedWhole(call, spoken.get(1), replies.get(1), skipped);
        Echoes.assertSilentOutsideTurns(call);
    }
}
