package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.realtime.AudioFormat;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.rtp.G711;
import gateway.sip.AudioCodec;
import gateway.sip.MediaDirection;
import gateway.sip.NegotiatedMedia;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code realtime.audio-format} pcmu on the manual clock: the model hears the caller's own μ-law octets and its
 * μ-law reply goes out as the RTP payload unchanged when the call is PCMU; a PCMA call is transcoded law to law; the
 * recording keeps 24 kHz audio at the same places as a pcm24k call's, and barge-in truncates by what was played.
 */
class G711ModelAudioTest {

    private static final NegotiatedMedia PCMA = new NegotiatedMedia(AudioCodec.PCMA, 8, 101, 20,
            MediaDirection.SENDRECV, FakeDialog.CALLER_RTP);
    private static final int FRAME_8K = CallFixture.FRAME_8K;
    /** Above silence in either law (A-law's quietest code decodes to ±8), far below the reply's tone. */
    private static final double QUIET_RMS = 100;

    @TempDir
    Path dir;
    private final List<CallFixture> fixtures = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        fixtures.forEach(CallFixture::close);
    }

    private CallFixture fixture(AudioFormat format, String name) {
        CallFixture fx = new CallFixture(dir.resolve(name), CallFixture.policy(), null,
                AgentProfile.of(CallFixture.SESSION.withAudioFormat(format), true));
        fixtures.add(fx);
        return fx;
    }

    /** The agent's reply: a 440 Hz tone at 8 kHz in μ-law, {@code ms} long. */
    private static byte[] muLawTone(int ms) {
        short[] tone = Signals.sine(440, 8000, 10_000, ms * 8);
        byte[] codes = new byte[tone.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = G711.PCMU.encode(tone[i]);
        }
        return codes;
    }

    /** The payloads of the packets sent from index {@code from} that are not silence in {@code law}, joined. */
    private static byte[] spoken(CallFixture.Line line, int from, G711 law) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CallFixture.RtpOut p : line.sent.subList(from, line.sent.size())) {
            if (p.rms(law) > QUIET_RMS) {
                out.writeBytes(p.payload());
            }
        }
        return out.toByteArray();
    }

    @Test
    void aPcmuCallerIsHeardAsItsOwnOctetsAndTheRecordingIsTheSameAsInPcm24k() throws Exception {
        CallFixture pcm = fixture(AudioFormat.PCM24K, "pcm");
        CallFixture mu = fixture(AudioFormat.PCMU, "pcmu");
        CallFixture.Line pcmLine = pcm.answered(FakeDialog.PCMU);
        CallFixture.Line muLine = mu.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = mu.realtime.session(0);
        assertEquals(AudioFormat.PCMU,
                session.received(ClientEvent.SessionUpdate.class).get(0).settings().audioFormat());

        pcm.talk(1000, pcmLine);
        mu.talk(1000, muLine);
        assertArrayEquals(muLine.said.toByteArray(), session.appendedCodes(),
                "the model got the caller's μ-law octets, byte for byte");
        assertEquals(50 * 480, session.appendedSamples(), "on the input clock, 3 samples per octet");
        assertEquals(0, session.appendedAudio().length, "no PCM went to the model");

        pcmLine.hangUp();
        muLine.hangUp();
        pcmLine.callJson();
        muLine.callJson();
        short[] pcmCaller = WavReader.read(pcmLine.directory().resolve("audio.wav")).channel(0);
        short[] muCaller = WavReader.read(muLine.directory().resolve("audio.wav")).channel(0);
        assertArrayEquals(pcmCaller, muCaller, "the caller's channel is the same 24 kHz audio at the same samples");
    }

    @Test
    void aPcmaCallerIsTranscodedToMuLawWithoutResampling() throws Exception {
        CallFixture mu = fixture(AudioFormat.PCMU, "pcma");
        CallFixture.Line line = mu.answered(PCMA);
        line.sendAs(G711.PCMA, 8);
        mu.talk(400, line);
        byte[] sent = line.said.toByteArray();
        byte[] expected = new byte[sent.length];
        for (int i = 0; i < sent.length; i++) {
            expected[i] = G711.PCMU.encode(G711.PCMA.decode(sent[i]));
        }
        assertArrayEquals(expected, mu.realtime.session(0).appendedCodes(),
                "each A-law octet decoded and encoded in μ-law, sample for sample");
    }

    @Test
    void aLostPacketIsEncodedFromItsConcealmentAndThePacketsAroundItPassStraight() {
        CallFixture mu = fixture(AudioFormat.PCMU, "lossy");
        CallFixture.Line line = mu.answered(FakeDialog.PCMU);
        mu.talk(200, line);
        line.loseFrame();
        mu.advanceMillis(20);
        mu.talk(400, line);
        byte[] said = line.said.toByteArray();
        byte[] heard = mu.realtime.session(0).appendedCodes();
        assertEquals(said.length + FRAME_8K, heard.length, "the lost 20 ms reached the model as concealment");
        int tail = 10 * FRAME_8K;
        assertArrayEquals(Arrays.copyOf(said, 10 * FRAME_8K), Arrays.copyOf(heard, 10 * FRAME_8K),
                "the packets before the loss passed straight");
        assertArrayEquals(Arrays.copyOfRange(said, said.length - tail, said.length),
                Arrays.copyOfRange(heard, heard.length - tail, heard.length),
                "the packets after the fade back passed straight");
        short[] concealed = new short[FRAME_8K];
        for (int i = 0; i < FRAME_8K; i++) {
            concealed[i] = G711.PCMU.decode(heard[10 * FRAME_8K + i]);
        }
        assertTrue(Signals.rms(concealed, 0, FRAME_8K) > 1000, "the gap holds the concealment, not silence");
    }

    @Test
    void callerAudioHeldOverAReconnectReachesTheNextSessionInMuLaw() {
        CallFixture mu = fixture(AudioFormat.PCMU, "reconnect");
        CallFixture.Line line = mu.answered(FakeDialog.PCMU);
        mu.talk(200, line);
        ScriptedRealtime.Session first = mu.realtime.session(0);
        first.serverCloses(-1, "connection lost");
        mu.talk(200, line);
        ScriptedRealtime.Session second = mu.realtime.last();
        assertTrue(second != first, "a new session was opened");
        second.created("sess_2", CallFixture.EPOCH_SECONDS + 3600);
        second.updated("sess_2", CallFixture.EPOCH_SECONDS + 3600);
        mu.scheduler.runDue();
        byte[] appended = second.appendedCodes();
        assertEquals(0, second.appendedAudio().length, "no PCM to a μ-law session");
        byte[] sentBefore = first.appendedCodes();
        assertTrue(sentBefore.length >= 10 * FRAME_8K, "the first session was sent the 200 ms");
        assertArrayEquals(sentBefore, Arrays.copyOf(appended, sentBefore.length),
                "what the dropped session was sent (it took none into a turn) comes first, as it was sent");
        byte[] held = Arrays.copyOfRange(appended, sentBefore.length, appended.length);
        assertEquals(10 * FRAME_8K, held.length, "then the 200 ms said meanwhile, in μ-law");
        short[] decoded = new short[held.length];
        for (int i = 0; i < held.length; i++) {
            decoded[i] = G711.PCMU.decode(held[i]);
        }
        assertEquals(8000 / Math.sqrt(2), Signals.rms(decoded, FRAME_8K, held.length), 400,
                "the caller's tone, encoded from its 24 kHz copy");
    }

    @Test
    void aMuLawReplyGoesOutAsTheRtpPayloadUnchangedAndIsRecordedAt24kHz() throws Exception {
        CallFixture mu = fixture(AudioFormat.PCMU, "reply");
        CallFixture.Line line = mu.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = mu.realtime.session(0);
        mu.advanceMillis(200);
        int before = line.sent.size();
        byte[] reply = muLawTone(1000);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.codes("resp_1", "item_A", reply);
        mu.advanceMillis(1200);
        assertArrayEquals(reply, spoken(line, before, G711.PCMU), "160 of the model's octets per packet, as sent");
        for (CallFixture.RtpOut p : line.sent) {
            assertEquals(FRAME_8K, p.payload().length);
        }

        line.hangUp();
        line.callJson();
        short[] assistant = WavReader.read(line.directory().resolve("audio.wav")).channel(1);
        List<Signals.Segment> said = Signals.activity(assistant, 24_000, 20, 2000, 100);
        assertEquals(1, said.size(), said.toString());
        long startMs = said.get(0).startMs();
        assertTrue(startMs >= 200 && startMs <= 240, "recorded from the tick the reply started: " + startMs);
        assertEquals(1000, said.get(0).endMs() - startMs, 20, "1 s of reply, recorded at 24 kHz");
        double rms = Signals.rms(assistant, (int) (startMs + 100) * 24, (int) (startMs + 900) * 24);
        assertEquals(10_000 / Math.sqrt(2), rms, 300, "the decoded tone at its level");
    }

    @Test
    void aMuLawReplyToAPcmaCallerIsTranscodedLawToLaw() {
        CallFixture mu = fixture(AudioFormat.PCMU, "reply-pcma");
        CallFixture.Line line = mu.answered(PCMA);
        line.sendAs(G711.PCMA, 8);
        ScriptedRealtime.Session session = mu.realtime.session(0);
        mu.advanceMillis(200);
        int before = line.sent.size();
        byte[] reply = muLawTone(400);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.codes("resp_1", "item_A", reply);
        mu.advanceMillis(600);
        byte[] expected = new byte[reply.length];
        for (int i = 0; i < reply.length; i++) {
            expected[i] = G711.PCMA.encode(G711.PCMU.decode(reply[i]));
        }
        assertArrayEquals(expected, spoken(line, before, G711.PCMA), "each μ-law octet as A-law, no resampling");
        assertTrue(line.sent.stream().allMatch(p -> p.payloadType() == 8));
    }

    @Test
    void bargeInTruncatesAMuLawReplyToWhatWasPlayed() {
        CallFixture mu = fixture(AudioFormat.PCMU, "barge");
        CallFixture.Line line = mu.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = mu.realtime.session(0);
        mu.advanceMillis(200);
        int before = line.sent.size();
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.codes("resp_1", "item_A", muLawTone(3000));
        mu.advanceMillis(500);
        long loud = line.loudPacketsSince(before);
        assertTrue(loud >= 24 && loud <= 26, "the reply plays: " + loud);
        session.event(new ServerEvent.SpeechStarted(100, "item_U"));
        int atBargeIn = line.sent.size();
        assertEquals(List.of(new ClientEvent.ItemTruncate("item_A", 0, loud * 20)),
                session.received(ClientEvent.ItemTruncate.class), "truncated at what was played, in ms");
        mu.advanceMillis(200);
        assertEquals(0, line.loudPacketsSince(atBargeIn), "silence from the next tick");
    }
}
