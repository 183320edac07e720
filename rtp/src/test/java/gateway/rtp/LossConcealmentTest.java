package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import org.junit.jupiter.api.Test;

class LossConcealmentTest {

    private static final int RATE = 8000;

    /** A voiced-speech-like test signal: harmonics of 125 Hz (pitch period 64 samples) falling by 1/k. */
    private static short[] voiced(int from, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (from + i) / (double) RATE;
            double v = 0;
            for (int k = 1; k <= 12; k++) {
                v += Math.sin(2 * Math.PI * 125 * k * t + k) / k;
            }
            s[i] = (short) Math.round(2500 * v);
        }
        return s;
    }


    /** Runs {@code good} samples of {@code signal}, conceals {@code lost}, then takes the rest; returns the output. */
    private static short[] playWithLoss(short[] signal, int good, int lost) {
        LossConcealment plc = new LossConcealment();
        short[] out = signal.clone();
        for (int at = 0; at < good; at += 160) {
            plc.accept(out, at, Math.min(160, good - at));
        }
        plc.conceal(out, good, lost);
        for (int at = good + lost; at < out.length; at += 160) {
            plc.accept(out, at, Math.min(160, out.length - at));
        }
        return out;
    }

    @Test
    void findsThePitchPeriodOfAVoicedSignal() {
        assertEquals(64, new LossConcealment().findPitch(voiced(0, LossConcealment.HISTORY)));
        assertEquals(LossConcealment.PITCH_MIN, new LossConcealment().findPitch(new short[LossConcealment.HISTORY]));
    }

    @Test
    void repeatsThePitchPeriodInPhaseForTenMillisecondsThenFadesToSilenceAt60() {
        short[] tone = Signals.sine(500, RATE, 8000, 800);
        short[] out = playWithLoss(tone, 400, 400);                      // 50 ms lost
        // The first 10 ms of the loss are the tone itself, in phase (its period, 16 samples, divides the pitch).
        for (int i = 400; i < 480; i++) {
            assertEquals(tone[i], out[i], 1, "sample " + i);
        }
        double first = Signals.rms(out, 400, 480);
        assertEquals(8000 / Math.sqrt(2), first, 60);
        // 20 % less per 10 ms from there: 30 to 40 ms of loss at 60 to 40 %.
        double third = Signals.rms(out, 640, 720) / first;
        assertTrue(third > 0.4 && third < 0.6, "30-40 ms: " + third);
        short[] longLoss = playWithLoss(Signals.sine(500, RATE, 8000, 1400), 400, 800); // 100 ms: silent after 60
        assertEquals(0, Signals.rms(longLoss, 400 + LossConcealment.SILENT_AFTER, 1200));
    }

    @Test
    void noClickWhereTheLossBeginsWhereItEndsOrInBetween() {
        short[] signal = voiced(0, 2400);
        int natural = Signals.maxStep(signal, 0, signal.length);
        for (int lost : new int[] {80, 160, 240, 480, 800}) {
            for (int good : new int[] {800, 803, 851}) {                   // losses at several phases of the pitch
                short[] out = playWithLoss(signal, good, lost);
                int step = Signals.maxStep(out, good - 1, Math.min(out.length, good + lost + 200));
                assertTrue(step <= natural, "a loss of " + lost + " at " + good + ": step " + step
                        + " against the signal's own largest, " + natural);
            }
        }
    }

    @Test
    void audioAfterALossIsCrossFadedInFromTheContinuedSignal() {
        short[] signal = voiced(0, 1600);
        short[] out = playWithLoss(signal, 800, 160);                    // 20 ms lost
        // Ramp: a quarter period (16) plus 4 ms (32) for the second 10 ms lost; after it the audio is untouched.
        int ramp = 64 / 4 + LossConcealment.RAMP_GROWTH_PER_STEP;
        for (int i = 960 + ramp; i < 1600; i++) {
            assertEquals(signal[i], out[i], "sample " + i);
        }
        int differing = 0;
        for (int i = 960; i < 960 + ramp; i++) {
            differing += signal[i] != out[i] ? 1 : 0;
        }
        assertTrue(differing > 0, "the first samples after the loss are blended");
    }

    @Test
    void aSeamOfNoLengthCrossFadesANewStreamIntoTheOld() {
        LossConcealment plc = new LossConcealment();
        short[] old = voiced(0, 800);
        plc.accept(old, 0, old.length);
        plc.conceal(new short[0], 0, 0);
        short[] next = voiced(5000, 400);                               // another stream: another phase
        short[] joined = next.clone();
        plc.accept(joined, 0, joined.length);
        short[] both = Signals.concat(old, joined);
        int natural = Math.max(Signals.maxStep(old, 0, old.length), Signals.maxStep(next, 0, next.length));
        assertTrue(Signals.maxStep(both, 790, 900) <= natural, "the seam is smooth");
        assertEquals(next[300], joined[300]);                           // after a quarter period: the new stream
    }
}
