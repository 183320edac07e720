package gateway.demoagent;

/**
 * Energy voice activity detection on 24 kHz PCM16 in 20 ms windows, positioned in cumulative input samples.
 * Speech starts after {@link #MIN_LOUD_WINDOWS} loud windows in a row (onset = start of the first); it stops once
 * the quiet since the last loud window reaches the silence duration.
 *
 * <p>Threading: confined to one session's event loop.
 */
final class EnergyVad {

    /** Speech is louder than -40 dBFS RMS: TTS and phone speech sit near -20, line noise and silence far below. */
    static final double SPEECH_THRESHOLD_DBFS = -40;
    static final int SAMPLES_PER_MS = 24;
    static final int WINDOW_SAMPLES = 20 * SAMPLES_PER_MS;
    /** Two windows (40 ms) so a click does not count as speech. */
    static final int MIN_LOUD_WINDOWS = 2;
    private static final double THRESHOLD_SUM_SQUARES =
            Math.pow(32768 * Math.pow(10, SPEECH_THRESHOLD_DBFS / 20), 2) * WINDOW_SAMPLES;

    /** What the detector found, in cumulative input samples. */
    interface Events {
        void speechStarted(long onsetSample);

        void speechStopped(long lastLoudEndSample, long stopSample);
    }

    private long windowStart;
    private int filled;
    private double sumSquares;
    private int loudRun;
    private long runStart;
    private boolean speaking;
    private long lastLoudEnd;

    boolean speaking() {
        return speaking;
    }

    /** Feeds the next samples; {@code silenceSamples} is the current silence duration. */
    void feed(short[] pcm, int offset, int length, long silenceSamples, Events events) {
        for (int i = offset; i < offset + length; i++) {
            double s = pcm[i];
            sumSquares += s * s;
            if (++filled == WINDOW_SAMPLES) {
                windowDone(sumSquares > THRESHOLD_SUM_SQUARES, silenceSamples, events);
                windowStart += WINDOW_SAMPLES;
                filled = 0;
                sumSquares = 0;
            }
        }
    }

    private void windowDone(boolean loud, long silenceSamples, Events events) {
        long windowEnd = windowStart + WINDOW_SAMPLES;
        if (!speaking) {
            if (!loud) {
                loudRun = 0;
                return;
            }
            if (loudRun++ == 0) {
                runStart = windowStart;
            }
            if (loudRun >= MIN_LOUD_WINDOWS) {
                speaking = true;
                lastLoudEnd = windowEnd;
                events.speechStarted(runStart);
            }
        } else if (loud) {
            lastLoudEnd = windowEnd;
        } else if (windowEnd - lastLoudEnd >= silenceSamples) {
            speaking = false;
            loudRun = 0;
            events.speechStopped(lastLoudEnd, windowEnd);
        }
    }
}
