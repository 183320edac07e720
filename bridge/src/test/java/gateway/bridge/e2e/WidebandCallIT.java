package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Ffmpeg;
import gateway.testkit.Signals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A G.722 call end to end: the caller (SIPp signalling, the test's own media socket) offers PCMU, PCMA and G.722 and
 * is answered with G.722 alone; it speaks wideband speech (espeak-ng at 16 kHz, encoded by ffmpeg at test time) as
 * PT 9, and the demo agent echoes it. What the caller heard is decoded by ffmpeg and matched against what it said,
 * and both it and the recording's caller channel carry the speech's energy above 4 kHz, which no G.711 call can.
 */
@Tag("e2e")
class WidebandCallIT {

    private static final int RTP_MIN = 32_600;
    private static final int G722_PT = 9;
    private static final int RATE_16K = 16_000;
    /** 20 ms of G.722: 160 octets. */
    private static final int PACKET_BYTES = 160;
    /** The speech, then silence to 4 s, so the agent's voice activity detection sees its end. */
    private static final String TEXT = "Hello. This is a test call.";
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    /** What the caller heard, decoded by ffmpeg, against what it said: resampled twice and coded twice. */
    private static final double HEARD_SCORE = 0.9;
    /** Energy from 4.5 to 7.5 kHz over that from 0.1 to 4 kHz may fall this far below the source's, in dB. */
    private static final double HIGH_BAND_LOSS_DB = 10;
    /** A G.711 path leaves nothing above 4 kHz (its filters stop from 4.6 kHz at −70 dB): far below this. */
    private static final double HIGH_BAND_FLOOR_DB = -45;

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    @Test
    void aG722CallerIsAnsweredWithG722AndHearsAndIsRecordedInWideband() throws Exception {
        short[] said = wideSpeech();
        byte[] g722 = Ffmpeg.encodeG722(said);
        byte[] idle = Ffmpeg.encodeG722(new short[RATE_16K]);
        byte[] silence = Arrays.copyOfRange(idle, idle.length - PACKET_BYTES, idle.length);
        double sourceHigh = highBandDb(said, 0, said.length, RATE_16K);
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_g722.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "g722");
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            Sipp.Result sipp;
            try (RtpPeer.Stream talk = caller.stream(first.source(), G722_PT, silence)) {
                talk.say(g722).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
                running.cue("the reply played to its end");
                sipp = running.await();
            }
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SdpBody answer = SdpBody.of(sipp.response(200, "INVITE"));
            assertTrue(answer.lines().contains("m=audio " + answer.audioPort() + " RTP/AVP 9 101"), answer.lines()
                    .toString());
            assertTrue(answer.lines().contains("a=rtpmap:9 G722/8000"), answer.lines().toString());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            assertEquals("G722", call.json().text("codec"));

            List<RtpPeer.Packet> packets = caller.received();
            for (RtpPeer.Packet p : packets) {
                assertEquals(new InetSocketAddress("127.0.0.1", answer.audioPort()), p.source());
                assertEquals(G722_PT, p.payloadType());
                assertEquals(PACKET_BYTES, p.payload().length, "20 ms of G.722 is 160 octets");
            }
            assertTimestampsAdvanceAt8kHz(packets);
            short[] heard = Ffmpeg.decodeG722(RtpPeer.payloads(packets));
            short[] speech = Signals.head(said, RATE_16K, speechMs(said));
            Signals.Match echo = Signals.bestMatch(heard, speech, 0, heard.length - speech.length);
            assertTrue(echo.score() >= HEARD_SCORE, "the caller heard its speech back, decoded by ffmpeg: " + echo);
            double heardHigh = highBandDb(heard, echo.lag(), echo.lag() + speech.length, RATE_16K);
            assertTrue(heardHigh > sourceHigh - HIGH_BAND_LOSS_DB && heardHigh > HIGH_BAND_FLOOR_DB,
                    "above 4 kHz the caller heard " + heardHigh + " dB, the source has " + sourceHigh + " dB");

            short[] left = call.caller();
            int rate = RecordedCall.SAMPLE_RATE;
            List<Signals.Segment> spoken = Signals.activity(left, rate, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
            assertEquals(1, spoken.size(), spoken.toString());
            Signals.Segment utterance = spoken.get(0);
            double recordedHigh = highBandDb(left, (int) (utterance.startMs() * rate / 1000),
                    (int) (utterance.endMs() * rate / 1000), rate);
            System.out.printf("G.722 call: echo heard %s; 4.5-7.5 kHz vs 0.1-4 kHz: source %.1f dB, heard %.1f dB,"
                    + " recorded %.1f dB%n", echo, sourceHigh, heardHigh, recordedHigh);
            assertTrue(recordedHigh > sourceHigh - HIGH_BAND_LOSS_DB && recordedHigh > HIGH_BAND_FLOOR_DB,
                    "above 4 kHz the recording's caller channel has " + recordedHigh + " dB, the source "
                            + sourceHigh + " dB");
        }
    }

    /**
     * Every packet's timestamp is a whole number of 20 ms frames at 8 kHz (160 units, RFC 3551 §4.5.2) past the one
     * before it: one, or more when the pacer skipped a late tick (the RTP clock runs on, RFC 3550 §5.1). The first
     * packet of a talkspurt (marker set, RFC 3551 §4.1) may come part of a frame early: the
     * agent's reply starts at once rather than at the next tick, and the RTP clock moves with it.
     */
    private static void assertTimestampsAdvanceAt8kHz(List<RtpPeer.Packet> packets) {
        for (int i = 1; i < packets.size(); i++) {
            RtpPeer.Packet a = packets.get(i - 1);
            RtpPeer.Packet b = packets.get(i);
            long step = (b.timestamp() - a.timestamp()) & 0xFFFF_FFFFL;
            assertTrue(step > 0 && (step % PACKET_BYTES == 0 || b.marker()),
                    "packet " + i + " advances by " + step + (b.marker() ? " (talkspurt start)" : ""));
        }
    }

    /** Energy from 4.5 to 7.5 kHz relative to that from 100 Hz to 4 kHz over x[from, to), in dB (Goertzel, 50 Hz). */
    private static double highBandDb(short[] x, int from, int to, int rate) {
        double low = 0;
        double high = 0;
        for (int f = 100; f <= 4000; f += 50) {
            low += Signals.goertzel(x, from, to, f, rate);
        }
        for (int f = 4500; f <= 7500; f += 50) {
            high += Signals.goertzel(x, from, to, f, rate);
        }
        return 10 * Math.log10(high / low);
    }

    /** espeak-ng's voice (22.05 kHz) at 16 kHz, leading and trailing silence trimmed, then silence to 4 s. */
    private short[] wideSpeech() throws IOException, InterruptedException {
        Path wav = work.resolve("raw.wav");
        Path raw = work.resolve("speech16k.raw");
        run("espeak-ng", "-v", "en-us", "-s", "175", "-w", wav.toString(), TEXT);
        run("sox", "-D", wav.toString(), "-t", "raw", "-r", String.valueOf(RATE_16K), "-c", "1", "-b", "16",
                "-e", "signed-integer", "-L", raw.toString(), "silence", "1", "0.02", "0.5%", "reverse",
                "silence", "1", "0.02", "0.5%", "reverse", "pad", "0", "3", "trim", "0", "4");
        return Ffmpeg.readPcm(raw);
    }

    /** Where the speech ends: the last sample above the noise floor, in ms. */
    private static long speechMs(short[] s) {
        int last = s.length - 1;
        while (last > 0 && Math.abs(s[last]) < 64) {
            last--;
        }
        return (last + 1) * 1000L / RATE_16K;
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(output));
        }
    }
}
