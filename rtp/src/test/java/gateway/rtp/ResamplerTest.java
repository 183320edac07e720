package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Measures the resamplers as black boxes with sine sweeps: passband flatness to 3.4 kHz, images (up) and aliases
 * (down) from the 4.6 kHz stopband edge, the round-trip SNR of a 1 kHz tone and the group delay. Every signal is
 * fed in 20 ms frames, so the carried filter state is part of what is measured.
 */
class ResamplerTest {

    private static final double AMPLITUDE = 10_000;
    private static final int SECOND_8K = 8000;
    /** Samples at the start of each output skipped so the filter has filled (> filter length at either rate). */
    private static final int SETTLE = 200;

    private static short[] upsample(short[] in8k) {
        Upsampler8kTo24k up = new Upsampler8kTo24k();
        short[] out = new short[in8k.length * 3];
        int written = 0;
        for (int off = 0; off < in8k.length; off += 160) {
            written += up.process(in8k, off, Math.min(160, in8k.length - off), out, written);
        }
        assertEquals(out.length, written);
        return out;
    }

    private static short[] downsample(short[] in24k) {
        Downsampler24kTo8k down = new Downsampler24kTo8k();
        short[] out = new short[in24k.length / 3];
        int written = 0;
        for (int off = 0; off < in24k.length; off += 480) {
            written += down.process(in24k, off, Math.min(480, in24k.length - off), out, written);
        }
        assertEquals(out.length, written);
        return out;
    }

    @Test
    void upsamplerPassbandIsFlatAndImagesAreAtLeast60dBDown() {
        double minGain = 0;
        double maxGain = -100;
        double worstImage = -200;
        for (int f = 100; f <= 3400; f += 100) {
            short[] out = upsample(Signals.sine(f, 8000, AMPLITUDE, SECOND_8K));
            double gain = Signals.db(Signals.fit(out, SETTLE, out.length, f, 24000)[0] / AMPLITUDE);
            double image = Signals.db(
                    Signals.residualRms(out, SETTLE, out.length, f, 24000) / (AMPLITUDE / Math.sqrt(2)));
            minGain = Math.min(minGain, gain);
            maxGain = Math.max(maxGain, gain);
            worstImage = Math.max(worstImage, image);
            assertEquals(0, gain, 0.1, "gain at " + f + " Hz");
            assertTrue(image < -60, "images of " + f + " Hz at " + image + " dB");
        }
        System.out.printf("upsampler: passband %.4f..%.4f dB (100-3400 Hz), worst total image level %.1f dB%n",
                minGain, maxGain, worstImage);
    }

    @Test
    void downsamplerPassbandIsFlatAndAliasesAreAtLeast60dBDown() {
        double minGain = 0;
        double maxGain = -100;
        double worstAlias = -200;
        for (int f = 100; f <= 3400; f += 100) {
            short[] out = downsample(Signals.sine(f, 24000, AMPLITUDE, 3 * SECOND_8K));
            double gain = Signals.db(Signals.fit(out, SETTLE, out.length, f, 8000)[0] / AMPLITUDE);
            minGain = Math.min(minGain, gain);
            maxGain = Math.max(maxGain, gain);
            assertEquals(0, gain, 0.1, "gain at " + f + " Hz");
        }
        for (int f = 4600; f <= 11900; f += 100) {
            short[] out = downsample(Signals.sine(f, 24000, AMPLITUDE, 3 * SECOND_8K));
            double alias = Signals.db(Signals.rms(out, SETTLE, out.length) / (AMPLITUDE / Math.sqrt(2)));
            worstAlias = Math.max(worstAlias, alias);
            assertTrue(alias < -60, "alias of " + f + " Hz at " + alias + " dB");
        }
        System.out.printf("downsampler: passband %.4f..%.4f dB (100-3400 Hz), worst alias %.1f dB (4.6-11.9 kHz)%n",
                minGain, maxGain, worstAlias);
    }

    /**
     * SNR against the ideal (unquantised) tone, so 16-bit rounding counts as noise; the round trip is also compared
     * with the quantised input sample by sample.
     */
    @Test
    void oneKilohertzRoundTripSnrAbove60dB() {
        short[] in = Signals.sine(1000, 8000, AMPLITUDE, SECOND_8K);
        short[] up = upsample(in);
        short[] back = downsample(up);
        int delay8k = 2 * Upsampler8kTo24k.delaySamples24k() / 3;
        assertEquals(30, delay8k);
        double roundTripSnr = snrAgainstSine(back, 1000, 8000, delay8k);
        double upSnr = snrAgainstSine(up, 1000, 24000, Upsampler8kTo24k.delaySamples24k());
        int maxDifference = 0;
        for (int n = SETTLE; n < in.length; n++) {
            maxDifference = Math.max(maxDifference, Math.abs(back[n] - in[n - delay8k]));
        }
        System.out.printf("1 kHz SNR: 8k->24k %.1f dB, 8k->24k->8k %.1f dB, max |out-in| %d LSB (delay %d at 8 kHz)%n",
                upSnr, roundTripSnr, maxDifference, delay8k);
        assertTrue(upSnr > 60, "up SNR " + upSnr);
        assertTrue(roundTripSnr > 60, "round-trip SNR " + roundTripSnr);
        assertTrue(maxDifference <= 2, "max difference " + maxDifference);
    }

    private static double snrAgainstSine(short[] out, double f, double rate, int delay) {
        double signal = 0;
        double noise = 0;
        for (int n = SETTLE * 3; n < out.length; n++) {
            double ideal = AMPLITUDE * Math.sin(2 * Math.PI * f * (n - delay) / rate);
            signal += ideal * ideal;
            noise += (out[n] - ideal) * (out[n] - ideal);
        }
        return 10 * Math.log10(signal / noise);
    }

    @Test
    void impulseResponsePeaksAtTheReportedGroupDelay() {
        short[] impulse = new short[64];
        impulse[0] = 10_000;
        short[] out = new short[192];
        new Upsampler8kTo24k().process(impulse, 0, 64, out, 0);
        assertEquals(45, Upsampler8kTo24k.delaySamples24k());
        assertEquals(Upsampler8kTo24k.delaySamples24k(), argMax(out));
        assertEquals(10_000, out[45], 2); // 3·h[45]·10000, h[45] ≈ 1/3 for a 4 kHz cut-off at 24 kHz
        assertEquals(ResamplingFilter.TAPS, ResamplingFilter.DELAY_24K * 2 + 1);

        short[] impulse24 = new short[300];
        impulse24[0] = 30_000;
        short[] down = new short[100];
        new Downsampler24kTo8k().process(impulse24, 0, 300, down, 0);
        assertEquals(45, Downsampler24kTo8k.delaySamples24k());
        assertEquals(15, argMax(down)); // 45 samples at 24 kHz = 15 at 8 kHz
    }

    @Test
    void framesJoinSeamlesslyWhateverTheirSize() {
        short[] in = Signals.sine(1234, 8000, AMPLITUDE, 999);
        short[] whole = new short[in.length * 3];
        new Upsampler8kTo24k().process(in, 0, in.length, whole, 0);
        Upsampler8kTo24k up = new Upsampler8kTo24k();
        short[] pieces = new short[in.length * 3];
        int[] sizes = {1, 7, 160, 33, 240};
        int off = 0;
        for (int i = 0; off < in.length; i++) {
            int n = Math.min(sizes[i % sizes.length], in.length - off);
            up.process(in, off, n, pieces, off * 3);
            off += n;
        }
        assertArrayEquals(whole, pieces);

        short[] down = new short[whole.length / 3];
        new Downsampler24kTo8k().process(whole, 0, whole.length, down, 0);
        Downsampler24kTo8k d = new Downsampler24kTo8k();
        short[] downPieces = new short[whole.length / 3];
        for (int o = 0; o < whole.length; o += 99) {
            int n = Math.min(99, whole.length - o);
            d.process(whole, o, n, downPieces, o / 3);
        }
        assertArrayEquals(down, downPieces);
    }

    /**
     * The down-sampler skips its filter for digital silence once its history is at rest (the agent's side between
     * replies). Talkspurts that end on a frame's edge, silence shorter and longer than the filter, a talkspurt that
     * starts mid-frame and clicks on a frame's last two samples (the newest history), fed in 20 ms frames, give
     * sample for sample what the whole signal filtered at once gives: the frame after each sound still carries the
     * filter's tail, and the silence after that is zeros.
     */
    @Test
    void digitalSilenceSkippedOnceTheFilterIsAtRestIsExact() {
        int frame = 480;
        short[] in = new short[14 * frame];
        short[] speech = Signals.sine(1234, 24_000, AMPLITUDE, in.length);
        System.arraycopy(speech, 0, in, 0, 2 * frame);                  // frames 0-1: speech
        System.arraycopy(speech, 4 * frame, in, 4 * frame, frame - 30);  // frame 4: speech, then 30 zeros
        System.arraycopy(speech, 7 * frame + 200, in, 7 * frame + 200, frame - 200); // frame 7: starts mid-frame
        in[10 * frame - 1] = 12_000;                                     // frame 9: a click on its last sample
        in[12 * frame - 2] = -12_000;                                    // frame 11: on its last but one
        short[] whole = new short[in.length / 3];
        new Downsampler24kTo8k().process(in, 0, in.length, whole, 0);

        Downsampler24kTo8k framed = new Downsampler24kTo8k();
        short[] pieces = new short[in.length / 3];
        for (int off = 0; off < in.length; off += frame) {
            framed.process(in, off, frame, pieces, off / 3);
        }
        assertArrayEquals(whole, pieces);
        assertTrue(ringsOn(whole, 2 * frame / 3, 20), "the tail after the first talkspurt is in the test");
        assertTrue(ringsOn(whole, 5 * frame / 3, 20), "the tail after the 30 zeros is in the test");
        assertTrue(ringsOn(whole, 10 * frame / 3, 20), "the tail of a click on a frame's last sample");
        assertTrue(ringsOn(whole, 12 * frame / 3, 20), "the tail of a click on its last but one");
        assertFalse(ringsOn(whole, 3 * frame / 3, frame / 3), "silence at rest gives zeros");
    }

    /**
     * The up-sampler does the same for the caller's digital silence (an idle line or a muted phone): the same kinds of
     * talkspurt, silence and click at 8 kHz, fed in 20 ms frames, give what the whole signal filtered at once gives,
     * and a filter primed with sound rings it out while one primed with silence is at rest.
     */
    @Test
    void callerDigitalSilenceSkippedOnceTheUpsamplerIsAtRestIsExact() {
        int frame = 160;
        short[] in = new short[14 * frame];
        short[] speech = Signals.sine(1234, SECOND_8K, AMPLITUDE, in.length);
        System.arraycopy(speech, 0, in, 0, 2 * frame);                  // frames 0-1: speech
        System.arraycopy(speech, 4 * frame, in, 4 * frame, frame - 10);  // frame 4: speech, then 10 zeros
        System.arraycopy(speech, 7 * frame + 70, in, 7 * frame + 70, frame - 70); // frame 7: starts mid-frame
        in[10 * frame - 1] = 12_000;                                     // frame 9: a click on its last sample
        in[12 * frame - 2] = -12_000;                                    // frame 11: on its last but one
        short[] whole = new short[3 * in.length];
        new Upsampler8kTo24k().process(in, 0, in.length, whole, 0);

        Upsampler8kTo24k framed = new Upsampler8kTo24k();
        short[] pieces = new short[3 * in.length];
        for (int off = 0; off < in.length; off += frame) {
            framed.process(in, off, frame, pieces, 3 * off);
        }
        assertArrayEquals(whole, pieces);
        assertTrue(ringsOn(whole, 3 * 2 * frame, 20), "the tail after the first talkspurt is in the test");
        assertTrue(ringsOn(whole, 3 * 5 * frame, 20), "the tail after the 10 zeros is in the test");
        assertTrue(ringsOn(whole, 3 * 10 * frame, 20), "the tail of a click on a frame's last sample");
        assertTrue(ringsOn(whole, 3 * 12 * frame, 20), "the tail of a click on its last but one");
        assertFalse(ringsOn(whole, 3 * 3 * frame, 3 * frame), "silence at rest gives zeros");

        short[] silence = new short[frame];
        short[] out = new short[3 * frame];
        Upsampler8kTo24k primedWithSound = new Upsampler8kTo24k();
        primedWithSound.prime(speech, 0, Upsampler8kTo24k.HISTORY);
        primedWithSound.process(silence, 0, frame, out, 0);
        assertTrue(ringsOn(out, 0, 20), "a history primed with sound rings out");
        Upsampler8kTo24k primedWithSilence = new Upsampler8kTo24k();
        primedWithSilence.prime(speech, 0, Upsampler8kTo24k.HISTORY);
        primedWithSilence.prime(silence, 0, Upsampler8kTo24k.HISTORY);
        Arrays.fill(out, (short) 1);
        primedWithSilence.process(silence, 0, frame, out, 0);
        assertFalse(ringsOn(out, 0, out.length), "a history primed with silence is at rest");
    }

    private static boolean ringsOn(short[] out, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (out[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The resamplers of a thread share their scratch ({@link RtpScratch}): two up-samplers and two down-samplers fed
     * different signals (one clipping) in interleaved pieces of different sizes, so each piece starts where another
     * resampler's left the scratch half-filled, give sample for sample what each gives alone.
     */
    @Test
    void resamplersInterleavedOnOneThreadGiveWhatEachGivesAlone() {
        short[] quiet = Signals.sine(440, 8000, AMPLITUDE, 1999);
        short[] loud = Signals.sine(3100, 8000, Short.MAX_VALUE, 1999);
        short[] quiet24k = upsample(quiet);
        short[] loud24k = upsample(loud);
        short[] quiet8k = downsample(quiet24k);
        short[] loud8k = downsample(loud24k);

        Upsampler8kTo24k[] ups = {new Upsampler8kTo24k(), new Upsampler8kTo24k()};
        Downsampler24kTo8k[] downs = {new Downsampler24kTo8k(), new Downsampler24kTo8k()};
        short[][] ins = {quiet, loud};
        short[][] up = {new short[quiet24k.length], new short[loud24k.length]};
        short[][] down = {new short[quiet8k.length], new short[loud8k.length]};
        int[][] sizes = {{160, 7, 161, 480, 33}, {1, 159, 320, 2, 100}};
        int[] upAt = new int[2];
        int[] downAt = new int[2];
        for (int i = 0; upAt[0] < quiet.length || upAt[1] < loud.length
                || downAt[0] < quiet24k.length || downAt[1] < loud24k.length; i++) {
            for (int r = 0; r < 2; r++) {
                int n = Math.min(sizes[r][i % sizes[r].length], ins[r].length - upAt[r]);
                ups[r].process(ins[r], upAt[r], n, up[r], 3 * upAt[r]);
                upAt[r] += n;
                int m = Math.min(3 * sizes[1 - r][i % sizes[1 - r].length], up[r].length - downAt[r]);
                downs[r].process(r == 0 ? quiet24k : loud24k, downAt[r], m, down[r], downAt[r] / 3);
                downAt[r] += m;
            }
        }
        assertArrayEquals(quiet24k, up[0]);
        assertArrayEquals(loud24k, up[1]);
        assertArrayEquals(quiet8k, down[0]);
        assertArrayEquals(loud8k, down[1]);
    }

    /**
     * A fresh up-sampler primed with the {@link Upsampler8kTo24k#HISTORY} inputs before a point gives, from there,
     * what the one that ran from the start gave, sample for sample; primed with fewer, those at the very start.
     */
    @Test
    void aPrimedUpsamplerTakesOverSampleForSample() {
        short[] in = Signals.sine(1234, 8000, AMPLITUDE, 999);
        short[] whole = new short[in.length * 3];
        new Upsampler8kTo24k().process(in, 0, in.length, whole, 0);
        for (int from : new int[] {0, 5, Upsampler8kTo24k.HISTORY, 500}) {
            Upsampler8kTo24k fresh = new Upsampler8kTo24k();
            int history = Math.min(from, Upsampler8kTo24k.HISTORY);
            fresh.process(in, 0, 200, new short[600], 0);      // whatever it did before is forgotten
            fresh.prime(in, from - history, history);
            short[] out = new short[(in.length - from) * 3];
            fresh.process(in, from, in.length - from, out, 0);
            assertArrayEquals(Arrays.copyOfRange(whole, from * 3, whole.length), out, "from input " + from);
        }
    }

    /**
     * Both filters against their definition, one output at a time: output 3i + p of the up-sampler is
     * Σₖ 3·h[3k + p]·x[i − k], and output j of the down-sampler Σₖ h[k]·x[3j − k], each summed in float from k = 0
     * and rounded half up to 16 bits. A loud signal that clips, fed in 20 ms frames, must come out sample for sample
     * (a phase written to the wrong slot, or a rounding that differs, fails here).
     */
    @Test
    void bothFiltersAreTheirDirectSumsRoundedHalfUp() {
        short[] in8k = new short[800];
        for (int i = 0; i < in8k.length; i++) {
            in8k[i] = halfUp((float) (40_000 * Math.sin(2 * Math.PI * 1234 * i / 8000.0)));
        }
        short[] up = upsample(in8k);
        assertTrue(contains(up, Short.MAX_VALUE) && contains(up, Short.MIN_VALUE), "the overshoot clips both ways");
        float[][] c = ResamplingFilter.POLYPHASE;
        for (int i = 0; i < in8k.length; i++) {
            for (int p = 0; p < 3; p++) {
                float sum = 0f;
                for (int k = 0; k < ResamplingFilter.TAPS_PER_PHASE && k <= i; k++) {
                    sum += c[p][k] * in8k[i - k];
                }
                assertEquals(halfUp(sum), up[3 * i + p], "up-sampler output " + (3 * i + p));
            }
        }
        short[] down = downsample(up);
        float[] h = ResamplingFilter.COEFFICIENTS;
        for (int j = 0; j < down.length; j++) {
            float sum = 0f;
            for (int k = 0; k < ResamplingFilter.TAPS && k <= 3 * j; k++) {
                sum += h[k] * up[3 * j - k];
            }
            assertEquals(halfUp(sum), down[j], "down-sampler output " + j);
        }
    }

    private static boolean contains(short[] x, short value) {
        for (short v : x) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static short halfUp(float value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }

    @Test
    void resetForgetsHistoryAndFullScaleSaturates() {
        Upsampler8kTo24k up = new Upsampler8kTo24k();
        short[] loud = new short[160];
        java.util.Arrays.fill(loud, Short.MAX_VALUE);
        short[] out = new short[480];
        up.process(loud, 0, 160, out, 0);
        int max = 0;
        for (short s : out) {
            max = Math.max(max, s);
        }
        assertEquals(Short.MAX_VALUE, max); // step overshoot (Gibbs) is clipped, not wrapped to negative
        up.reset();
        short[] silence = new short[160];
        up.process(silence, 0, 160, out, 0);
        assertArrayEquals(new short[480], out);
        assertThrows(IllegalArgumentException.class,
                () -> new Downsampler24kTo8k().process(new short[480], 0, 479, new short[160], 0));
    }

    private static int argMax(short[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
