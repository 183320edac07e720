package gateway.recorder;

import gateway.library.ConversationAnalyzer;
import gateway.time.CallTimeline;

/**
 * How much the recorder buffers: every call survives {@code bufferSeconds} of writer stall (a slow or stalled disk,
 * a starved writer thread) without losing audio, for up to {@code maxCalls} calls at once. The buffers are pooled
 * and created as they are needed, so they cost memory only while audio waits for the writer; their limit is
 * {@link #budgetBytes()}. {@code deadAirMs} is the silence on both sides the conversation analytics count as dead air.
 */
public record RecorderSettings(int bufferSeconds, int maxCalls, long deadAirMs) {

    /**
     * Least buffer: the writer's normal cadence keeps up to a pass (0.25 s) per call, and the gateway refuses new
     * calls once the writer is 1 s behind; 2 s leaves admitted calls at least another second.
     */
    public static final int MIN_BUFFER_SECONDS = 2;
    /**
     * Most buffer: a minute of stall is a broken disk, not a slow one; beyond that the memory is better spent on calls.
     */
    public static final int MAX_BUFFER_SECONDS = 60;
    /** Share of the JVM's maximum heap the recorder's buffers may take; the calls themselves need the rest. */
    static final double MAX_HEAP_SHARE = 0.5;

    /** Settings with the usual dead-air threshold ({@link ConversationAnalyzer#DEFAULT_DEAD_AIR_MS}). */
    public RecorderSettings(int bufferSeconds, int maxCalls) {
        this(bufferSeconds, maxCalls, ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);
    }

    public RecorderSettings {
        if (bufferSeconds < MIN_BUFFER_SECONDS || bufferSeconds > MAX_BUFFER_SECONDS) {
            throw new IllegalArgumentException("bufferSeconds must be " + MIN_BUFFER_SECONDS + "-"
                    + MAX_BUFFER_SECONDS + ": " + bufferSeconds);
        }
        if (deadAirMs < 1) {
            throw new IllegalArgumentException("deadAirMs must be positive: " + deadAirMs);
        }
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be positive: " + maxCalls);
        }
    }

    /** Block slots per channel of a call, with the default window. */
    int slotsPerChannel() {
        return slotsPerChannel(RecordingService.DEFAULT_WINDOW_FRAMES);
    }

    /**
     * Block slots per channel: the buffered seconds, the window still open for late packets and one pass of the
     * writer, rounded up to whole blocks, plus the block the writer is in the middle of.
     */
    int slotsPerChannel(int windowFrames) {
        long frames = CallTimeline.msToSamples(bufferSeconds * 1000L) + windowFrames
                + CallTimeline.nanosToSamples(RecorderWriter.PASS_NANOS);
        return (int) ((frames + SampleBlock.FRAMES - 1) / SampleBlock.FRAMES) + 1;
    }

    /** Most buffer memory one call can hold. */
    public long bytesPerCall() {
        return (long) CallAudio.CHANNELS * slotsPerChannel() * SampleBlock.BYTES;
    }

    /** Most buffer memory all calls together can hold: the pool's limit. */
    public long budgetBytes() {
        return bytesPerCall() * maxCalls;
    }

    /** These settings with {@code maxCalls} lowered, if needed, so the budget fits the recorder's share of the heap. */
    public RecorderSettings fittedToHeap(long maxHeapBytes) {
        long fit = (long) (maxHeapBytes * MAX_HEAP_SHARE) / bytesPerCall();
        return fit >= maxCalls ? this : new RecorderSettings(bufferSeconds, (int) Math.max(1, fit), deadAirMs);
    }
}
