package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoFault;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Realtime socket drops without a close frame, or the session closes cleanly, while the caller is in the middle
 * of a sentence: the scriptable demo agent strikes once it has read a second of the utterance. The gateway gives the
 * next session what the first was sent of the unfinished utterance, sample for sample as it was sent (rebuilt from
 * the caller's 8 kHz codes), before what the caller said meanwhile; so the next session hears the whole sentence,
 * once, and its echo of it plays whole. call.json's {@code input_ms} and {@code resent_ms} account for every sample
 * the gateway took.
 */
@Tag("e2e")
class RealtimeResendIT {

    private static final int RTP_MIN = 43_000;
    private static final int CLOSE_RTP_MIN = 43_600;
    /** RFC 6455 §7.4.1 going away: what the service closes with (§5.5). */
    private static final int GOING_AWAY = 1001;
    private static final int PCMU = 0;
    /** G.711 mu-law encodes 0 as 0xFF (ITU-T G.711 Table 2a). */
    private static final byte ULAW_ZERO = (byte) 0xFF;
    /** What the caller says: the short fixture's speech, 1.8 s (its silence comes from the stream). */
    private static final int UTTERANCE_BYTES = 14_720;
    /**
     * The caller is silent until the agent has read this much (1 s at 24 kHz) of its stream: the sentence starts later
     * than the turn detector's prefix padding after the answer.
     */
    private static final long LEAD_SAMPLES = 24_000;
    /** The agent has read this much (1 s at 24 kHz) of the caller's stream since the utterance began: mid-sentence. */
    private static final long STRIKE_AFTER_SAMPLES = 24_000;
    /** {@code realtime.resend-ms}'s default: the most the gateway gives again. */
    private static final long RESEND_MS = 2_000;
    /** The agent's turn detection settings (DemoEvents' defaults, as the real service's, §2). */
    private static final long PREFIX_PADDING_MS = 300;
    private static final long SILENCE_DURATION_MS = 500;
    /** The agent's turn detection works in 20 ms windows of its own input clock, the test's in the recording's. */
    private static final long TURN_EDGE_MS = 40;
    private static final int SAMPLES_PER_PACKET = 480;
    /** Deadlines only there to end a failing test. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    @TempDir
    Path recordings;

    @Test
    void aSocketDroppedMidSentenceLeavesTheWholeSentenceToTheNextSession() throws Exception {
        cutMidSentence(new DemoFault.Drop(0), "connection_lost", DemoConnection.How.DROPPED, RTP_MIN,
                "realtime-resend");
    }

    /** A clean close (1001 going away, as the service closes) mid-sentence: the same, though nothing was in flight. */
    @Test
    void aSessionClosedMidSentenceLeavesTheWholeSentenceToTheNextSession() throws Exception {
        cutMidSentence(new DemoFault.Close(0, GOING_AWAY), "closed_" + GOING_AWAY, DemoConnection.How.CLOSE_SENT,
                CLOSE_RTP_MIN, "realtime-resend-close");
    }

    /**
     * The caller speaks after a second of silence; a second into the sentence the agent strikes {@code fault} on the
     * first session, which ends {@code how}, its call.json end reason {@code endReason}.
     */
    private void cutMidSentence(DemoFault fault, String endReason, DemoConnection.How how, int rtpMin, String logName)
            throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies().withRecordFrames(true), rtpMin,
                recordings);
             RtpPeer caller = RtpPeer.open()) {
            byte[] utterance = Arrays.copyOf(Speech.bytes("speech_short.ulaw"), UTTERANCE_BYTES);
            Sipp scenario = Sipp.scenario("uac_test_media.xml").args("-key", "rtp_port", String.valueOf(caller.port()));
            RecordedCall call = gw.sippCall(scenario, logName, STEP_WITHIN, running -> {
                RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
                try (RtpPeer.Stream talk = caller.stream(first.source(), PCMU, ULAW_ZERO)) {
                    DemoConnection firstSession = gw.agent().connection(1);
                    Await.until(() -> firstSession.inputSamples() >= LEAD_SAMPLES, STEP_WITHIN,
                            () -> "the agent read a second of silence: " + firstSession.inputSamples());
                    long before = firstSession.inputSamples();
                    CompletableFuture<RtpPeer.Said> saying = talk.say(utterance);
                    Await.until(() -> firstSession.inputSamples() >= before + STRIKE_AFTER_SAMPLES,
                            STEP_WITHIN, () -> "the agent read a second of the utterance: "
                                    + firstSession.inputSamples());
                    firstSession.strike(fault);
                    Await.until(() -> gw.agent().accepted() >= 2, STEP_WITHIN,
                            () -> "no second Realtime connection: " + gw.agent().accepted() + " accepted");
                    saying.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
                    running.cue("the reply played to its end");
                }
            });
            JsonNode sessions = call.json().root().path("realtime_sessions");
            assertEquals(2, sessions.size(), sessions.toString());
            assertEquals(endReason, sessions.get(0).path("end_reason").asText(), sessions.toString());
            assertEquals(how, gw.agent().connection(1).ended().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).how());

            List<Signals.Segment> spoken = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
            assertEquals(1, spoken.size(), spoken.toString());
            Signals.Segment sentence = spoken.get(0);
            long endedAt = sessions.get(0).path("end_ms").asLong();
            assertTrue(sentence.startMs() < endedAt && endedAt < sentence.endMs(),
                    "the session ended mid-sentence: " + sentence + ", " + sessions);

            assertTheNextSessionHeardTheWholeSentenceOnce(gw, call, sentence);
            assertResentAsSentAndAccounted(gw, sessions, call.json().root().path("quality"));
        }
    }

    /**
     * One caller turn, the second session's, timed on its own input clock to the sentence on the recording (so the
     * resent audio kept its recording positions); one reply, the agent's echo of the whole sentence as the gateway
     * appended it, played once.
     */
    private static void assertTheNextSessionHeardTheWholeSentenceOnce(GatewayUnderIT gw, RecordedCall call,
                                                                   Signals.Segment sentence) throws Exception {
        List<CallJson.Turn> said = call.json().turns("caller");
        assertEquals(1, said.size(), call.json().toString());
        CallJson.Turn turn = said.get(0);
        assertTrue(gw.agent().connection(2).conversation().stream().anyMatch(i -> i.id().equals(turn.itemId())),
                "the turn is the second session's item: " + turn);
        assertEquals(sentence.startMs() - PREFIX_PADDING_MS, turn.startMs(), TURN_EDGE_MS,
                "turn start vs speech " + sentence + ": " + turn);
        assertEquals(sentence.endMs() + SILENCE_DURATION_MS, turn.endMs(), TURN_EDGE_MS,
                "turn end vs speech " + sentence + ": " + turn);
        List<CallJson.Turn> replies = call.json().turns("assistant");
        assertEquals(1, replies.size(), call.json().toString());
        Echoes.assertPlayedWhole(call, sentence, replies.get(0), Echoes.skippedTicks(gw));
        Echoes.assertSilentOutsideTurns(call);
    }

    /**
     * The second session's first {@code resent_ms} are the last samples the first was sent, exactly: where the first
     * read them too, the same samples; every sample the first may have lost in flight among them. Every sample the
     * gateway took went to one session, and only the resent ones to both.
     */
    private static void assertResentAsSentAndAccounted(GatewayUnderIT gw, JsonNode sessions, JsonNode quality)
            throws Exception {
        int perMs = RecordedCall.SAMPLE_RATE / 1000;
        long sentFirst = sessions.get(0).path("input_ms").asLong(-1) * perMs;
        long sentSecond = sessions.get(1).path("input_ms").asLong(-1) * perMs;
        long resent = sessions.get(1).path("resent_ms").asLong(0) * perMs;
        short[] readFirst = Appends.samples(gw.agent().connection(1));
        short[] readSecond = Appends.samples(gw.agent().connection(2));
        String seen = "sent to session 0: " + sentFirst + ", read by it: " + readFirst.length + "; sent to session 1: "
                + sentSecond + " (" + resent + " resent), read by it: " + readSecond.length + "; " + sessions + "; "
                + quality;
        assertTrue(resent > 0 && resent <= RESEND_MS * perMs, seen);
        assertTrue(readFirst.length <= sentFirst && sentFirst - readFirst.length <= resent,
                "what was in flight is among what was resent: " + seen);
        assertEquals(sentSecond, readSecond.length, "the second session read all it was sent: " + seen);
        int resentFrom = (int) (sentFirst - resent);
        assertArrayEquals(Arrays.copyOfRange(readFirst, resentFrom, readFirst.length),
                Arrays.copyOfRange(readSecond, 0, readFirst.length - resentFrom),
                "the resent samples are the ones the first session read there: " + seen);

        double packets = gw.metric("gateway_rtp_packets_received_total");
        double filled = gw.metric("gateway_rtp_packets_lost_total");
        long taken = (long) (packets + filled) * SAMPLES_PER_PACKET;
        assertEquals(taken, sentFirst + sentSecond - resent, "each sample to one session, the resent to both: "
                + seen + "; caller samples " + taken);
    }
}
