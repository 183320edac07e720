package gateway.rtp;

/**
 * Packet-loss concealment for 8 kHz audio (and, with every length doubled, for G.722's 16 kHz) in the spirit of ITU-T
 * G.711 Appendix I: a lost stretch is replaced by the last pitch period of the audio before it, repeated; after 10 ms
 * the repeated stretch grows to two and then three periods (less buzz) and the level falls by 20 % per 10 ms, reaching
 * silence after 60 ms. The seams are smoothed so nothing clicks: each repetition's last quarter period is blended into
 * the audio that preceded its first sample; the first synthetic sample is offset to join the last real one, the offset
 * fading over a quarter period; and the first real audio after the loss is cross-faded with the continued synthetic
 * signal over a quarter period, plus 4 ms for each further 10 ms lost (at most 10 ms).
 *
 * <p>Unlike Appendix I it adds no delay: the audio before a loss has gone out already (to the model, as it arrived),
 * so the joint is made on the synthetic side instead of by rewriting the last real samples. The pitch is the lag of
 * 5 to 15 ms (200 to 67 Hz) whose 20 ms of history correlates best with the latest 20 ms, searched at every lag.
 *
 * <p>Use: every stretch of audio the stream delivers goes through {@link #accept} (real audio, silence or comfort
 * noise) or {@link #conceal} (what was lost), in order. Call's loop only; allocation-free. The constants are the
 * 8 kHz lengths; an instance for 16 kHz ({@link #LossConcealment(int)} with 2) works with each of them doubled.
 */
final class LossConcealment {

    /** Shortest pitch period searched: 5 ms (200 Hz). */
    static final int PITCH_MIN = 40;
    /** Longest pitch period searched: 15 ms (66.7 Hz). */
    static final int PITCH_MAX = 120;
    /** Samples compared at each lag: 20 ms. */
    static final int CORRELATION_WINDOW = 160;
    /** 10 ms, the step at which the repeated stretch grows and the attenuation advances. */
    static final int STEP = 80;
    /** After this much concealment (60 ms) the output is silence (20 % less per 10 ms from 10 ms on). */
    static final int SILENT_AFTER = 6 * STEP;
    /** The longest cross-fade into real audio after a loss: 10 ms. */
    static final int MAX_RESUME_RAMP = STEP;
    /** Extra cross-fade per further 10 ms lost: 4 ms. */
    static final int RAMP_GROWTH_PER_STEP = 32;
    /** Three longest periods and the quarter period blended before them: 48.75 ms. */
    static final int HISTORY = 3 * PITCH_MAX + PITCH_MAX / 4;

    /** The constants above at this instance's rate. */
    private final int pitchMin;
    private final int pitchMax;
    private final int correlationWindow;
    private final int step;
    private final int silentAfter;
    private final int maxResumeRamp;
    private final int rampGrowthPerStep;
    private final int historyLength;
    /** The latest audio delivered (newest last), real or synthetic. */
    private final short[] history;
    /** {@link #history} as it was when the current loss began: what is repeated. */
    private final short[] frozen;
    private int pitch;
    private int quarter;
    private int loopLength;
    private int loopPosition;
    /** Samples concealed since the loss began (they keep counting after the output is silent). */
    private int erased;
    /** The offset that joins the first synthetic sample to the last real one, and how far it has faded. */
    private int joinOffset;
    private int joinPosition;
    private boolean concealing;
    /** Length and progress of the cross-fade into real audio after a loss. */
    private int rampLength;
    private int rampPosition;

    /** Concealment of 8 kHz audio. */
    LossConcealment() {
        this(1);
    }

    /** Concealment of audio at {@code rateMultiple} × 8 kHz: every length in samples is that many times longer. */
    LossConcealment(int rateMultiple) {
        pitchMin = PITCH_MIN * rateMultiple;
        pitchMax = PITCH_MAX * rateMultiple;
        correlationWindow = CORRELATION_WINDOW * rateMultiple;
        step = STEP * rateMultiple;
        silentAfter = SILENT_AFTER * rateMultiple;
        maxResumeRamp = MAX_RESUME_RAMP * rateMultiple;
        rampGrowthPerStep = RAMP_GROWTH_PER_STEP * rateMultiple;
        historyLength = HISTORY * rateMultiple;
        history = new short[historyLength];
        frozen = new short[historyLength];
        pitch = pitchMin;
        quarter = pitchMin / 4;
    }

    /** True from a loss until the cross-fade into the real audio after it has finished. */
    boolean concealing() {
        return concealing;
    }

    /** The pitch period (samples at this instance's rate) of the current or last loss. */
    int pitch() {
        return pitch;
    }

    /**
     * Writes {@code n} samples of concealment to {@code out}, continuing the current loss or starting one; with
     * {@code n} 0 it only marks a seam, so the next real audio is cross-faded into the continued signal (a new stream
     * joining the old one).
     */
    void conceal(short[] out, int off, int n) {
        if (!concealing || rampLength > 0) {
            begin();
        }
        for (int i = 0; i < n; i++) {
            out[off + i] = synthetic();
        }
        remember(out, off, n);
    }

    /** Real audio (or silence, or comfort noise) of {@code n} samples; after a loss it is cross-faded in place. */
    void accept(short[] pcm, int off, int n) {
        if (concealing) {
            if (rampLength == 0) {
                rampLength = Math.min(maxResumeRamp,
                        quarter + rampGrowthPerStep * Math.max(0, (erased - 1) / step));
                rampPosition = 0;
            }
            int fade = Math.min(n, rampLength - rampPosition);
            for (int i = 0; i < fade; i++) {
                int k = ++rampPosition;
                int real = pcm[off + i];
                pcm[off + i] = (short) ((real * k + synthetic() * (rampLength - k)) / rampLength);
            }
            if (rampPosition == rampLength) {
                concealing = false;
                rampLength = 0;
            }
        }
        remember(pcm, off, n);
    }

    /** Starts concealing: freezes the history, finds its pitch, and repeats one period from the seam on. */
    private void begin() {
        if (concealing && rampLength > 0) {
            // Lost again while fading back in: the loss goes on from where the synthetic signal is.
            rampLength = 0;
            return;
        }
        System.arraycopy(history, 0, frozen, 0, historyLength);
        pitch = findPitch(frozen);
        quarter = pitch / 4;
        loopLength = pitch;
        loopPosition = 0;
        erased = 0;
        // The repetition starts at frozen[historyLength - pitch]; offset it so that its step from the last real
        // sample is the step it has from its own predecessor.
        joinOffset = frozen[historyLength - 1] - frozen[historyLength - pitch - 1];
        joinPosition = 0;
        concealing = true;
    }

    /** The next synthetic sample: the repeated stretch, joined, grown and attenuated as the loss goes on. */
    private short synthetic() {
        if (erased >= silentAfter) {
            erased++;
            return 0;
        }
        grow();
        int value = loopSample(loopLength, loopPosition);
        loopPosition = loopPosition + 1 == loopLength ? 0 : loopPosition + 1;
        if (joinPosition < quarter) {
            value += joinOffset * (quarter - joinPosition) / (quarter + 1);
            joinPosition++;
        }
        int e = erased++;
        if (e >= step) {
            // 1 at 10 ms, falling linearly by 20 % per 10 ms to 0 at 60 ms.
            value = value * (silentAfter - e) / (silentAfter - step);
        }
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }

    /**
     * After 10 ms two periods are repeated, after 20 ms three. The switch waits until the read position is outside
     * the blended quarter at the end of the stretch: the longer stretch then holds the same sample at the shifted
     * position, so the switch itself is seamless.
     */
    private void grow() {
        int periods = loopLength / pitch;
        if (periods < 3 && erased >= periods * step && loopPosition < loopLength - quarter) {
            loopLength += pitch;
            loopPosition += pitch;
        }
    }

    /**
     * Sample {@code k} of the repeated stretch of {@code length}: the last {@code length} samples of the frozen
     * history, its last quarter period blended into the quarter period before its first sample, so its end meets
     * its start as the original audio did.
     */
    private int loopSample(int length, int k) {
        int start = historyLength - length;
        int blendFrom = length - quarter;
        if (k < blendFrom) {
            return frozen[start + k];
        }
        int j = k - blendFrom;
        int w = j + 1;
        return (frozen[start + k] * (quarter - w) + frozen[start - quarter + j] * w) / quarter;
    }

    /** Appends delivered audio to the history. */
    private void remember(short[] pcm, int off, int n) {
        if (n >= historyLength) {
            System.arraycopy(pcm, off + n - historyLength, history, 0, historyLength);
        } else if (n > 0) {
            System.arraycopy(history, n, history, 0, historyLength - n);
            System.arraycopy(pcm, off, history, historyLength - n, n);
        }
    }

    /**
     * The lag in [{@link #pitchMin}, {@link #pitchMax}] whose stretch of history best matches the latest
     * {@link #correlationWindow} samples (normalised cross-correlation); {@link #pitchMin} for silence.
     */
    int findPitch(short[] h) {
        int end = h.length;
        int best = pitchMin;
        double bestScore = 0;
        for (int lag = pitchMin; lag <= pitchMax; lag++) {
            long cross = 0;
            long energy = 0;
            for (int i = end - correlationWindow; i < end; i++) {
                int earlier = h[i - lag];
                cross += (long) h[i] * earlier;
                energy += (long) earlier * earlier;
            }
            if (energy > 0 && cross > 0) {
                double score = (double) cross * cross / energy;
                if (score > bestScore) {
                    bestScore = score;
                    best = lag;
                }
            }
        }
        return best;
    }
}
