package gateway.recorder;

/**
 * A pooled block of 100 ms of one channel of one call. An event loop fills it at the positions its call writes; the
 * writer reads it, zeroes it and gives it back to the {@link BlockPool}. Never in two calls at once.
 */
final class SampleBlock {

    /**
     * Samples per block: 100 ms at 24 kHz, five 20 ms packets. Small enough that a silent channel holds little, large
     * enough that the pool is touched once per five packets.
     */
    static final int FRAMES = RecordingService.SAMPLE_RATE / 10;
    /** Heap bytes of one block (the array's payload; its header is negligible). */
    static final int BYTES = FRAMES * Short.BYTES;

    final short[] samples = new short[FRAMES];
    /**
     * Which block of its call's timeline this is (position / {@link #FRAMES}); set by the event loop before it
     * publishes the block, read by the writer after.
     */
    long index;
}
