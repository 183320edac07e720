package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Early media on real SIPp calls ({@code agent.early-media: consent}, RFC 3960): the consent prompt reaches the
 * caller's own RTP socket after a 183 with the SDP answer (reliable, with PRACK, under 100rel) and before the 200,
 * which repeats that SDP; the recording holds the prompt from sample 0 and call.json says when the call was answered.
 * A caller who cancels during the prompt gets 487, costs no Realtime session, and its recording is kept; a caller the
 * gateway refuses gets no early media at all.
 */
@Tag("e2e")
class EarlyMediaIT {

    private static final int RTP_MIN = 40_300;
    /** The prompt: 1 s at 500 Hz, then 1 s at 900 Hz, so its order shows. */
    private static final int HALF_MS = 1000;
    private static final int LOW_HZ = 500;
    private static final int HIGH_HZ = 900;
    /** The prompt is about −11 dBFS; silence and comfort noise are far below this. */
    private static final double LOUD_RMS = 2000;
    /** One 20 ms frame either way: where a frame edge falls against the prompt's edges. */
    private static final long FRAME_MS = 20;
    /** Deadline for each step of the call; ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    private final short[] prompt = Signals.concat(Signals.sine(LOW_HZ, 24_000, 9000, HALF_MS * 24),
            Signals.sine(HIGH_HZ, 24_000, 9000, HALF_MS * 24));

    private GatewayUnderIT gateway(String... extra) throws Exception {
        Path wav = WavWriter.write(work.resolve("consent.wav"), 24_000, prompt);
        List<String> args = new ArrayList<>(List.of("--recordings.consent-prompt=" + wav,
                "--agent.early-media=consent"));
        args.addAll(List.of(extra));
        return GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, args);
    }

    @Test
    void thePromptIsHeardAfterAReliable183AndBeforeThe200WhichRepeatsItsSdp() throws Exception {
        Sipp.Result sipp;
        RecordedCall call;
        List<RtpPeer.Packet> beforeAnswer;
        try (GatewayUnderIT gw = gateway(); RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_early_media_100rel.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "early-media-100rel");
            SipMessage ok = running.awaitLogged(m -> m.received() && m.statusCode() == 200
                    && m.method().equals("INVITE"), STEP_WITHIN, "the 200 to the INVITE");
            beforeAnswer = caller.received().stream().filter(p -> p.arrival().isBefore(ok.time())).toList();
            running.cue("the call was answered");
            sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            // Before the gateway closes: the call ends on the caller's BYE, however slow the box.
            call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            assertEquals(1, gw.agent().connections(), "one Realtime session, opened after the prompt");
        }
        SipMessage early = sipp.response(183, "INVITE");
        assertTrue(early.header("Require").orElseThrow().contains("100rel"), early.toString());
        assertEquals(early.header("RSeq").orElseThrow(), sipp.sent("PRACK").header("RAck").orElseThrow().split(" ")[0]);
        sipp.response(200, "PRACK");
        SipMessage ok = sipp.response(200, "INVITE");
        assertEquals(early.body(), ok.body(), "the 200 repeats the 183's SDP, o= version and all (RFC 3262 §5)");

        short[] heard = Signals.decodeUlaw(RtpPeer.payloads(beforeAnswer));
        List<Signals.Segment> loud = Signals.activity(heard, 8000, (int) FRAME_MS, LOUD_RMS, 100);
        assertEquals(1, loud.size(), "the prompt, once, before the 200: " + loud);
        assertEquals(2 * HALF_MS, loud.get(0).endMs() - loud.get(0).startMs(), 2 * FRAME_MS, loud.toString());
        int start = (int) loud.get(0).startMs() * 8;
        assertEquals(LOW_HZ, Signals.dominantFrequency(heard, start + 800, start + 7200, 8000, 10, 2000), 10);
        assertEquals(HIGH_HZ, Signals.dominantFrequency(heard, start + 8800, start + 15_200, 8000, 10, 2000), 10);

        assertEquals("caller_bye", call.json().text("end_reason"));
        JsonNode earlyMedia = call.json().root().path("early_media");
        assertEquals(0, earlyMedia.path("start_ms").asLong(), earlyMedia.toString());
        long answeredMs = earlyMedia.path("answered_ms").asLong(-1);
        assertTrue(answeredMs >= 2 * HALF_MS - FRAME_MS, "answered after the prompt: " + earlyMedia);
        JsonNode turn = call.json().root().path("turns").path(0);
        assertEquals("consent-prompt", turn.path("item_id").asText(), turn.toString());
        assertEquals(0, turn.path("start_ms").asLong(), turn.toString());
        long promptEndMs = turn.path("end_ms").asLong();
        assertTrue(promptEndMs >= 2 * HALF_MS && promptEndMs <= answeredMs, "played whole before the answer: " + turn);
        assertPromptFromTheFirstFrame(Signals.head(call.assistant(), 24_000, answeredMs), true);
    }

    @Test
    void aCancelDuringThePromptGets487OpensNoSessionAndKeepsWhatWasHeard() throws Exception {
        Sipp.Result sipp;
        try (GatewayUnderIT gw = gateway(); RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_early_media_cancel.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "early-media-cancel");
            caller.awaitReceived(p -> p.size() >= 10, STEP_WITHIN, "200 ms of the prompt");
            running.cue("the prompt was heard");
            sipp = running.await();
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            assertEquals(0, gw.agent().connections(), "no Realtime session for a caller who gave up");

            assertEquals("cancelled", call.json().text("end_reason"));
            JsonNode earlyMedia = call.json().root().path("early_media");
            assertEquals(0, earlyMedia.path("start_ms").asLong(), earlyMedia.toString());
            assertTrue(earlyMedia.path("answered_ms").isMissingNode(), earlyMedia.toString());
            long durationMs = call.json().number("duration_ms");
            assertTrue(durationMs >= 200 && durationMs < 2 * HALF_MS, "ended during the prompt: " + durationMs);
            assertPromptFromTheFirstFrame(Signals.head(call.assistant(), 24_000, durationMs), false);
        }
        assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
        sipp.response(183, "INVITE");
        sipp.response(200, "CANCEL");
        sipp.response(487, "INVITE");
        assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 200 && m.method().equals("INVITE")),
                "never answered");
    }

    /**
     * The assistant channel holds the prompt from its first frame on: the low tone first and, when it played
     * {@code whole}, the high one last, {@code 2 * HALF_MS} of it within a frame either way. A busy machine may skip
     * pacer ticks, which delays the rest of the prompt (a gap) but loses none of it: the loud stretches are summed.
     */
    private static void assertPromptFromTheFirstFrame(short[] assistant, boolean whole) {
        List<Signals.Segment> loud = Signals.activity(assistant, 24_000, (int) FRAME_MS, LOUD_RMS, 0);
        assertTrue(!loud.isEmpty() && loud.get(0).startMs() <= FRAME_MS, "from the first frame: " + loud);
        int from = (int) loud.get(0).startMs() * 24;
        assertEquals(LOW_HZ, Signals.dominantFrequency(assistant, from + 2400, from + 4800, 24_000, 10, 2000), 10);
        if (whole) {
            long played = loud.stream().mapToLong(l -> l.endMs() - l.startMs()).sum();
            assertEquals(2 * HALF_MS, played, 2 * FRAME_MS, "all of it: " + loud);
            int to = (int) loud.get(loud.size() - 1).endMs() * 24;
            assertEquals(HIGH_HZ, Signals.dominantFrequency(assistant, to - 4800, to - 2400, 24_000, 10, 2000), 10);
        }
    }

    @Test
    void aRefusedCallerGetsNoEarlyMediaAndCausesNoUpstreamConnection() throws Exception {
        try (GatewayUnderIT gw = gateway("--sip.allowed-sources=192.0.2.0/24")) {
            Sipp.Result sipp = Sipp.scenario("uac_expect_403.xml").run(gw.sipPort(), "early-media-refused");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            sipp.response(403, "INVITE");
            assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 183), "no 183");
            assertEquals(0, gw.agent().connections());
            assertEquals(0, Recordings.callDirs(recordings).size());
        }
    }
}
