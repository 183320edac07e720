package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnergyVadTest {

    private static final long SILENCE_500_MS = 500 * 24;
    private final List<String> found = new ArrayList<>();
    private final EnergyVad vad = new EnergyVad();
    private final EnergyVad.Events events = new EnergyVad.Events() {
        @Override
        public void speechStarted(long onsetSample) {
            found.add("start " + onsetSample);
        }

        @Override
        public void speechStopped(long lastLoudEndSample, long stopSample) {
            found.add("stop " + lastLoudEndSample + " " + stopSample);
        }
    };

    /** Feeds in odd-sized chunks so windows span calls. */
    private void feed(short[] pcm) {
        for (int at = 0; at < pcm.length; at += 333) {
            vad.feed(pcm, at, Math.min(333, pcm.length - at), SILENCE_500_MS, events);
        }
    }

    @Test
    void findsAToneBetweenSilencesInInputSamples() {
        feed(Signals.concat(Signals.silence(1000), Signals.tone(1500, 300, -10), Signals.silence(1000)));
        assertEquals(List.of("start 24000", "stop 60000 72000"), found);
        assertFalse(vad.speaking());
    }

    @Test
    void quietNoiseAndASingleClickAreNotSpeech() {
        Random random = new Random(7);
        short[] noise = new short[24_000 * 2];
        double rms50 = 32768 * Math.pow(10, -50 / 20.0);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) Math.round(random.nextGaussian() * rms50);
        }
        feed(noise);
        feed(Signals.concat(Signals.tone(20, 1000, -6), Signals.silence(980)));
        assertEquals(List.of(), found);
    }

    @Test
    void speechAtMinus30DbfsIsSpeechAndShortPausesDoNotEndIt() {
        feed(Signals.concat(Signals.tone(400, 200, -30), Signals.silence(300), Signals.tone(400, 200, -30)));
        assertEquals(List.of("start 0"), found);
        assertTrue(vad.speaking());
        feed(Signals.silence(600));
        assertEquals(List.of("start 0", "stop 26400 38400"), found);
    }
}
