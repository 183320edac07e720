package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.realtime.ServerEvent;
import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;
import gateway.testkit.ImpairedNetwork;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import gateway.time.CallTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller behind a bad network, a whole call on the manual clock: a seeded network loses (in bursts), repeats,
 * reorders and delays the caller's packets, and the test checks what the model received and what was recorded
 * against the speech that was sent: the model's input is the caller's whole timeline, in order, without a gap or a
 * click; the recording holds exactly the same samples at their places; concealment goes silent only inside long
 * bursts; the caller's turn lands within 20 ms of where it was said; call.json's quality block counts what the
 * network did and marks where.
 */
class LossyCallerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;
    private static final int FRAME_8K = 160;
    private static final int FRAME_24K = 480;
    /** 1 s of silence, 2.5 s of voice, 1.5 s of silence through the bad network, then 1 s of clean silence. */
    private static final int VOICE_FROM = 50;
    private static final int VOICE_TO = 175;
    private static final int IMPAIRED = 250;
    private static final int PACKETS = 300;
    private static final ImpairedNetwork.Impairment NETWORK =
            new ImpairedNetwork.Impairment(2026, 0.04, 2, 0.03, 0.05, 30 * MS);
    /** A stretch this quiet inside the voice is concealment gone silent. */
    private static final int QUIET = 50;
    /** The VAD the test plays for the model: 10 ms windows above this RMS are speech. */
    private static final double SPEECH_RMS = 300;

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    /** Voiced speech's shape: harmonics 1-10 of a pitch gliding from 110 to 180 Hz, faded in and out over 40 ms. */
    private static short[] callerSignal() {
        short[] s = new short[PACKETS * FRAME_8K];
        int from = VOICE_FROM * FRAME_8K;
        int to = VOICE_TO * FRAME_8K;
        double phase = 0;
        for (int n = from; n < to; n++) {
            double t = (n - from) / (double) (to - from);
            phase += 2 * Math.PI * (110 + 70 * t) / 8000;
            double v = 0;
            for (int k = 1; k <= 10; k++) {
                v += Math.sin(k * phase) / k;
            }
            double fade = Math.min(1, Math.min(n - from, to - n) / 320.0);
            s[n] = (short) Math.round(2400 * v * (0.5 - 0.5 * Math.cos(Math.PI * fade)));
        }
        return s;
    }

    @Test
    void throughABadNetworkTheModelAndTheRecordingGetTheSpeechInOrderWithoutGapsOrClicks() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        short[] signal = callerSignal();
        byte[][] payloads = new byte[PACKETS][FRAME_8K];
        for (int i = 0; i < PACKETS; i++) {
            for (int j = 0; j < FRAME_8K; j++) {
                payloads[i][j] = G711.PCMU.encode(signal[i * FRAME_8K + j]);
            }
        }
        List<ImpairedNetwork.Delivery> deliveries = new ArrayList<>(
                ImpairedNetwork.schedule(NETWORK, IMPAIRED, 20 * MS, 5 * MS));
        for (int i = IMPAIRED; i < PACKETS; i++) {
            deliveries.add(new ImpairedNetwork.Delivery(i, i * 20 * MS + 5 * MS, false));
        }
        Set<Integer> arrived = new HashSet<>();
        deliveries.forEach(d -> arrived.add(d.index()));
        int first = deliveries.get(0).index();
        // Packets are handed over at the first millisecond of the manual clock at or after their arrival.
        long firstArrival = -Math.floorDiv(-deliveries.get(0).atNanos(), MS) * MS;
        int next = 0;
        for (long t = 0; t <= (PACKETS + 5) * 20 * MS; t += MS) {
            for (; next < deliveries.size() && deliveries.get(next).atNanos() <= t; next++) {
                int i = deliveries.get(next).index();
                line.sendPacket(1000 + i, 4000L + (long) i * FRAME_8K, payloads[i]);
            }
            fx.advanceMillis(1);
        }

        // The model heard the caller's whole timeline from its first packet: nothing missing, nothing added.
        short[] heard = session.appendedAudio();
        assertEquals((PACKETS - first) * FRAME_24K, heard.length);
        short[] reference = upsampled(decoded(payloads, first));
        int voiceFrom = (VOICE_FROM - first) * FRAME_24K;
        int voiceTo = (VOICE_TO - first) * FRAME_24K;

        // In order: every packet that came, away from the losses, is where it belongs and as it was sent.
        Set<Integer> nearLoss = new HashSet<>();
        for (int i = first; i < PACKETS; i++) {
            if (!arrived.contains(i)) {
                for (int k = i - 1; k <= i + 2; k++) {
                    nearLoss.add(k);
                }
            }
        }
        int compared = 0;
        int mismatched = 0;
        for (int i = VOICE_FROM + 2; i < VOICE_TO - 2; i++) {
            if (!nearLoss.contains(i)) {
                compared++;
                int at = (i - first) * FRAME_24K;
                if (Signals.correlationAt(Arrays.copyOfRange(heard, at, at + FRAME_24K),
                        Arrays.copyOfRange(reference, at, at + FRAME_24K), 0) < 0.99) {
                    mismatched++;
                }
            }
        }
        long late = line.sessions.get(0).packetsDroppedLate();
        int reordered = 0;
        for (int d = 0, newest = -1; d < deliveries.size(); d++) {
            int i = deliveries.get(d).index();
            reordered += i < newest && !deliveries.get(d).duplicate() ? 1 : 0;
            newest = Math.max(newest, i);
        }
        System.out.printf("lossy caller: %d of %d packets lost, %d reordered, %d duplicated; %d late; %d of %d"
                        + " compared packets out of place%n", IMPAIRED - arrived.stream().filter(i -> i < IMPAIRED)
                        .count(), IMPAIRED, reordered, deliveries.stream().filter(ImpairedNetwork.Delivery::duplicate)
                        .count(), late, mismatched, compared);
        assertTrue(compared > 80, compared + " packets compared");
        assertTrue(late * 3 <= reordered, late + " of " + reordered + " reordered packets came too late to be put"
                + " back in place");
        assertTrue(mismatched <= 3 * late, mismatched + " packets out of place or altered, " + late + " late");

        // No clicks: no step between neighbouring samples larger than the speech's own largest.
        int natural = Signals.maxStep(reference, 0, reference.length);
        int largest = Signals.maxStep(heard, 0, heard.length);
        assertTrue(largest <= natural * 5 / 4, "largest step " + largest + " against the speech's " + natural);

        // Concealment goes quiet only where a burst outlasted its 60 ms fade.
        long longestBurst = 0;
        for (int i = VOICE_FROM, run = 0; i < VOICE_TO; i++) {
            run = arrived.contains(i) ? 0 : run + 1;
            longestBurst = Math.max(longestBurst, run);
        }
        long quietAllowed = Math.max(0, longestBurst * 20 - 60) * CallTimeline.SAMPLES_PER_MS + FRAME_24K;
        assertTrue(longestQuiet(heard, voiceFrom + 960, voiceTo - 960) <= quietAllowed,
                "a silence of " + longestQuiet(heard, voiceFrom + 960, voiceTo - 960) / 24 + " ms in the speech;"
                        + " the longest burst lost " + longestBurst + " packets");

        // The caller's turn, as the service's VAD would time it from what it heard.
        int spokeFrom = firstLoud(heard);
        int spokeTo = lastLoud(heard);
        session.event(new ServerEvent.SpeechStarted(spokeFrom / 24, "item_U1"));
        session.event(new ServerEvent.SpeechStopped(spokeTo / 24, "item_U1"));
        session.event(new ServerEvent.InputTranscriptionCompleted("item_U1", "Hello?"));
        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
        line.call.finished().get(10, TimeUnit.SECONDS);

        // The recording holds at their places exactly the samples the model heard.
        long anchor = CallTimeline.nanosToSamples(firstArrival);           // the schedule's 0 is the answer
        short[] recorded = WavReader.read(line.directory().resolve("audio.wav")).channel(0);
        assertArrayEquals(heard, Arrays.copyOfRange(recorded, (int) anchor, (int) anchor + heard.length));

        JsonNode json = JSON.readTree(Files.readString(line.directory().resolve("call.json")));
        JsonNode turn = json.path("turns").path(0);
        long saidFrom = (anchor + firstLoud(reference)) / 24;
        long saidTo = (anchor + lastLoud(reference)) / 24;
        assertEquals(saidFrom, turn.path("start_ms").asLong(), 20, "the turn starts where the caller spoke");
        assertEquals(saidTo, turn.path("end_ms").asLong(), 20, "and ends there");

        JsonNode quality = json.path("quality");
        long lost = 0;
        for (int i = first; i < PACKETS; i++) {
            lost += arrived.contains(i) ? 0 : 1;
        }
        long duplicates = deliveries.stream().filter(ImpairedNetwork.Delivery::duplicate).count();
        assertEquals(lost, quality.path("packets_lost").asLong(), quality.toString());
        assertEquals(duplicates, quality.path("packets_duplicated").asLong(), quality.toString());
        assertEquals(late, quality.path("packets_late").asLong());
        assertEquals(PACKETS - first, quality.path("packets_expected").asLong());
        assertTrue(quality.path("concealed_ms").asLong() >= lost * 20, quality.toString());
        for (int i = first; i < PACKETS; i++) {
            if (!arrived.contains(i)) {
                long ms = (anchor + (long) (i - first) * FRAME_24K) / 24;
                boolean marked = false;
                for (JsonNode stretch : quality.path("loss")) {
                    marked |= stretch.path("start_ms").asLong() <= ms && ms < stretch.path("end_ms").asLong();
                }
                assertTrue(marked, "packet " + i + " at " + ms + " ms is in a loss stretch: " + quality.path("loss"));
            }
        }
        double mos = quality.path("mos").asDouble();
        assertTrue(mos > 3 && mos < 4.41, "MOS " + mos + ": worse than a clean call, still a call");
    }

    private static short[] decoded(byte[][] payloads, int from) {
        short[] pcm = new short[(payloads.length - from) * FRAME_8K];
        for (int i = from; i < payloads.length; i++) {
            for (int j = 0; j < FRAME_8K; j++) {
                pcm[(i - from) * FRAME_8K + j] = G711.PCMU.decode(payloads[i][j]);
            }
        }
        return pcm;
    }

    private static short[] upsampled(short[] pcm8k) {
        short[] out = new short[pcm8k.length * 3];
        new Upsampler8kTo24k().process(pcm8k, 0, pcm8k.length, out, 0);
        return out;
    }


    private static int longestQuiet(short[] s, int from, int to) {
        int longest = 0;
        for (int i = from, run = 0; i < to; i++) {
            run = Math.abs(s[i]) < QUIET ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static int firstLoud(short[] s) {
        for (int at = 0; at + 240 <= s.length; at += 240) {
            if (Signals.rms(s, at, at + 240) > SPEECH_RMS) {
                return at;
            }
        }
        throw new AssertionError("no speech");
    }

    private static int lastLoud(short[] s) {
        for (int at = s.length / 240 * 240 - 240; at >= 0; at -= 240) {
            if (Signals.rms(s, at, at + 240) > SPEECH_RMS) {
                return at + 240;
            }
        }
        throw new AssertionError("no speech");
    }
}
