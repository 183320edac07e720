package gateway.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void toneAndSilenceAreAtTheRealtimeRate() {
        short[] tone = Signals.tone(10, 1000, -6);
        assertEquals(240, tone.length);
        assertEquals(0, tone[0]);
        assertEquals(32767 * Math.pow(10, -6 / 20.0), Signals.fit(tone, 0, 240, 1000, 24_000)[0], 1);
        assertEquals(480, Signals.silence(20).length);
        assertArrayEquals(new short[] {1, 2, 3}, Signals.concat(new short[] {1}, new short[0], new short[] {2, 3}));
        assertEquals(24, Signals.head(tone, 24_000, 1).length);
    }

    @Test
    void aPureToneFitsExactlyAndLeavesOnlyRounding() {
        short[] x = Signals.sine(1234, 8000, 10_000, 999);
        double[] fit = Signals.fit(x, 0, 999, 1234, 8000);
        assertEquals(10_000, fit[0], 0.1);
        assertTrue(Signals.residualRms(x, 0, 999, 1234, 8000) < 0.5);
        assertEquals(10_000 / Math.sqrt(2), Signals.rms(x, 0, 999), 10);
        assertEquals(1250, Signals.dominantFrequency(Signals.sine(1250, 8000, 1000, 160), 0, 160, 8000, 50, 4000));
        assertEquals(-6.02, Signals.db(0.5), 0.01);
    }

    @Test
    void aToneCutIntoPacketsContinuesItsPhase() {
        short[] whole = Signals.sine(1000, 8000, 8000, 480);
        short[] packets = Signals.concat(Signals.sine(1000, 8000, 8000, 0, 160),
                Signals.sine(1000, 8000, 8000, 160, 160), Signals.sine(1000, 8000, 8000, 320L, 160));
        assertArrayEquals(whole, packets);
        assertEquals(Math.round(8000 * Math.sin(2 * Math.PI * 1000 * 161 / 8000.0)),
                Signals.sine(1000, 8000, 8000, 160, 2)[1]);
    }

    @Test
    void theStereoPatternIsWrittenInTicksAndNoChannelRepeatsASample() {
        short[] caller = new short[1000];
        short[] assistant = new short[1000];
        List<Long> writes = new ArrayList<>();
        Signals.writePattern(0, 1000, 480, (position, c, a, length) -> {
            writes.add(position);
            System.arraycopy(c, 0, caller, (int) position, length);
            System.arraycopy(a, 0, assistant, (int) position, length);
        });
        assertEquals(List.of(0L, 480L, 960L), writes);
        assertEquals(-10_000, caller[0]);
        assertEquals(12_000, assistant[0]);
        assertEquals((short) (999 * 31 % 20_000 - 10_000), caller[999]);
        for (int p = 0; p < 1000; p++) {
            assertEquals(Signals.callerPattern(p), caller[p]);
            assertEquals(Signals.assistantPattern(p), assistant[p]);
            assertTrue(p == 0 || caller[p] != caller[p - 1] && assistant[p] != assistant[p - 1], "sample " + p);
        }
        assertFalse(Arrays.equals(caller, assistant));
    }

    @Test
    void rmsOutsideTheSignalIsClippedToIt() {
        short[] x = {3, -4};
        assertEquals(Math.sqrt(12.5), Signals.rms(x, -5, 10), 1e-9);
        assertEquals(0, Signals.rms(x, 2, 5));
    }

    @Test
    void activityJoinsSpansSeparatedByShortPauses() {
        short[] x = Signals.concat(Signals.silence(100), Signals.tone(200, 300, -10), Signals.silence(60),
                Signals.tone(100, 300, -10), Signals.silence(500), Signals.tone(100, 300, -10));
        assertEquals(List.of(new Signals.Segment(100, 460), new Signals.Segment(960, 1060)),
                Signals.activity(x, 24_000, 20, 300, 100));
        assertEquals(3, Signals.activity(x, 24_000, 20, 300, 0).size());
    }

    @Test
    void bestMatchFindsWhereAReferenceWasPlaced() {
        Random random = new Random(1);
        short[] reference = new short[2400];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = (short) (random.nextGaussian() * 3000);
        }
        short[] signal = Signals.concat(Signals.silence(123), reference, Signals.silence(200));
        Signals.Match m = Signals.bestMatch(signal, reference, 0, 6000);
        assertEquals(123 * 24, m.lag());
        assertEquals(1.0, m.score(), 1e-9);
        assertEquals(123.0, m.lagMs(24_000));
    }

    @Test
    void g711FixturesDecodeWithTheJdkCodec() throws Exception {
        assertArrayEquals(new short[] {0, -32124, 32124}, Signals.decodeUlaw(new byte[] {(byte) 0xFF, 0, (byte) 0x80}));
        assertArrayEquals(new short[] {8, -8, 32256}, Signals.decodeAlaw(new byte[] {(byte) 0xD5, 0x55, (byte) 0xAA}));
    }

    @Test
    void linearResamplingInterpolates() {
        assertArrayEquals(new short[] {0, 100, 200, 300, 300, 300},
                Signals.resampleLinear(new short[] {0, 300}, 8000, 24_000));
    }
}
