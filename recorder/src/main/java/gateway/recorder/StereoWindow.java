package gateway.recorder;

import java.io.IOException;
import java.util.Arrays;

/**
 * A sliding two-channel window keyed by sample position, so each leg can arrive independently and slightly out of
 * order. Samples land at their position in their channel (silence where nothing was written; a later write to the
 * same position wins). When a write reaches past the window's end, the oldest frames are handed to the sink;
 * writes before that flushed point are dropped and counted as late. Used by the writer thread only.
 */
final class StereoWindow {

    static final int CHANNELS = 2;
    static final int CALLER = 0;
    static final int ASSISTANT = 1;

    /** Receives flushed frames: {@code frames} interleaved frames starting at {@code offset} in {@code interleaved}. */
    interface Sink {
        void frames(short[] interleaved, int offset, int frames) throws IOException;
    }

    private final short[] ring;
    private final int capacityFrames;
    private final long maxPosition;
    private final Sink sink;
    private long flushedFrames;
    private long highWater;
    private long lateSamples;
    private long rejectedSamples;

    /** A window of {@code capacityFrames} frames; writes ending after {@code maxPosition} are rejected. */
    StereoWindow(int capacityFrames, long maxPosition, Sink sink) {
        if (capacityFrames <= 0) {
            throw new IllegalArgumentException("capacityFrames must be positive");
        }
        this.ring = new short[capacityFrames * CHANNELS];
        this.capacityFrames = capacityFrames;
        this.maxPosition = maxPosition;
        this.sink = sink;
    }

    /** Places {@code length} samples of {@code channel} at {@code position}, flushing old frames if needed. */
    void write(int channel, long position, short[] samples, int offset, int length) throws IOException {
        if (position < 0 || position > maxPosition - length) {
            rejectedSamples += length;
            return;
        }
        if (position < flushedFrames) {
            int late = (int) Math.min(length, flushedFrames - position);
            lateSamples += late;
            position += late;
            offset += late;
            length -= late;
        }
        while (length > 0) {
            int n = Math.min(length, capacityFrames);
            long end = position + n;
            if (end > flushedFrames + capacityFrames) {
                flushUntil(end - capacityFrames);
            }
            copyIn(channel, position, samples, offset, n);
            highWater = Math.max(highWater, end);
            position = end;
            offset += n;
            length -= n;
        }
    }

    /** Flushes every frame before {@code endFrame} (silence where nothing was written) and discards the rest. */
    void finish(long endFrame) throws IOException {
        flushUntil(Math.min(endFrame, maxPosition));
        Arrays.fill(ring, (short) 0);
        highWater = Math.min(highWater, flushedFrames);
    }

    /** Frames handed to the sink so far. */
    long flushedFrames() {
        return flushedFrames;
    }

    /** One past the highest frame written so far (at least the flushed point). */
    long highWater() {
        return Math.max(highWater, flushedFrames);
    }

    long lateSamples() {
        return lateSamples;
    }

    long rejectedSamples() {
        return rejectedSamples;
    }

    private void copyIn(int channel, long position, short[] samples, int offset, int n) {
        int frame = (int) (position % capacityFrames);
        int first = Math.min(n, capacityFrames - frame);
        copyRun(samples, offset, frame * CHANNELS + channel, first);
        copyRun(samples, offset + first, channel, n - first);
    }

    /** Writes count samples to every CHANNELS-th slot of the ring from index at; no wrap inside a run. */
    private void copyRun(short[] samples, int offset, int at, int count) {
        short[] r = ring;
        for (int i = 0; i < count; i++) {
            r[at + CHANNELS * i] = samples[offset + i];
        }
    }

    private void flushUntil(long target) throws IOException {
        while (flushedFrames < target) {
            int start = (int) (flushedFrames % capacityFrames);
            int run = (int) Math.min(target - flushedFrames, capacityFrames - start);
            sink.frames(ring, start * CHANNELS, run);
            Arrays.fill(ring, start * CHANNELS, (start + run) * CHANNELS, (short) 0);
            flushedFrames += run;
        }
    }
}
