package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import org.junit.jupiter.api.Test;

/**
 * The 16 kHz ⇄ 24 kHz resamplers measured as black boxes with sine sweeps in 20 ms frames: passband flat to 7 kHz
 * (G.722's band), images (up) and aliases (down) from 9 kHz at least 60 dB down, the group delay, and the round trip.
 */
class RationalResamplerTest {

    private static final double AMPLITUDE = 10_000;
    /** Outputs skipped at the start so the filter has filled. */
    private static final int SETTLE = 400;

    private static short[] run(RationalResampler resampler, short[] in, int frame, int outPerFrame) {
        short[] out = new short[in.length / frame * outPerFrame];
        int written = 0;
        for (int off = 0; off + frame <= in.length; off += frame) {
            int n = resampler.process(in, off, frame, out, written);
            assertEquals(outPerFrame, n);
            written += n;
        }
        return out;
    }

    private static short[] up(short[] in16k) {
        return run(RationalResampler.up16kTo24k(), in16k, 320, 480);
    }

    private static short[] down(short[] in24k) {
        return run(RationalResampler.down24kTo16k(), in24k, 480, 320);
    }

    @Test
    void upsamplerIsFlatTo7kHzAndItsImagesAreAtLeast60dBDown() {
        for (int f = 100; f <= 7000; f += 100) {
            short[] out = up(Signals.sine(f, 16_000, AMPLITUDE, 16_000));
            double gain = Signals.db(Signals.fit(out, SETTLE, out.length, f, 24_000)[0] / AMPLITUDE);
            double image = Signals.db(
                    Signals.residualRms(out, SETTLE, out.length, f, 24_000) / (AMPLITUDE / Math.sqrt(2)));
            assertEquals(0, gain, 0.1, "gain at " + f + " Hz");
            assertTrue(image < -60, "images of " + f + " Hz at " + image + " dB");
        }
    }

    @Test
    void downsamplerIsFlatTo7kHzAndAliasesFrom9kHzAreAtLeast60dBDown() {
        for (int f = 100; f <= 7000; f += 100) {
            short[] out = down(Signals.sine(f, 24_000, AMPLITUDE, 24_000));
            double gain = Signals.db(Signals.fit(out, SETTLE, out.length, f, 16_000)[0] / AMPLITUDE);
            assertEquals(0, gain, 0.1, "gain at " + f + " Hz");
        }
        for (int f = 9000; f <= 11_900; f += 100) {
            short[] out = down(Signals.sine(f, 24_000, AMPLITUDE, 24_000));
            double alias = Signals.db(Signals.rms(out, SETTLE, out.length) / (AMPLITUDE / Math.sqrt(2)));
            assertTrue(alias < -60, "alias of " + f + " Hz at " + alias + " dB");
        }
    }

    @Test
    void roundTripDelaysByTheReportedWholeSamplesAndKeepsA1kHzTone() {
        assertEquals(30, RationalResampler.delaySamples24k());
        short[] in = Signals.sine(1000, 16_000, AMPLITUDE, 16_000);
        short[] back = down(up(in));
        int delay16k = 2 * (2 * RationalResampler.delaySamples24k()) / 3;
        assertEquals(40, delay16k);
        assertTrue(Signals.correlationAt(back, in, delay16k) > 0.9999);
        int worst = 0;
        for (int n = SETTLE; n < in.length; n++) {
            worst = Math.max(worst, Math.abs(back[n] - in[n - delay16k]));
        }
        assertTrue(worst <= 3, "max |out − in| " + worst);
    }
}
