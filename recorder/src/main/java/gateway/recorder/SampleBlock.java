package gateway.recorder;

import gateway.time.CallTimeline;

/**
 * A pooled block of 100 ms of one channel of one call. An event loop fills it at the positions its call writes; the
 * writer reads it and gives it back to the {@link BlockPool} as it is. Nobody zeroes a whole block: {@link #filled}
 * says how far the event loop wrote (silence it wrote itself into any gap), and past it the samples are stale from
 * the block's last use and read as silence. So the writer only ever reads a block, and the event loop that fills it
 * next does not have to pull its cache lines back from the writer's core. Never in two calls at once.
 */
final class SampleBlock {

    /**
     * Samples per block: 100 ms at 24 kHz, five 20 ms packets. Small enough that a silent channel holds little, large
     * enough that the pool is touched once per five packets.
     */
    static final int FRAMES = (int) CallTimeline.msToSamples(100);
    /** Heap bytes of one block (the array's payload; its header is negligible). */
    static final int BYTES = FRAMES * Short.BYTES;

    final short[] samples = new short[FRAMES];
    /**
     * Which block of its call's timeline this is (position / {@link #FRAMES}); set by the event loop before it
     * publishes the block, read by the writer after.
     */
    long index;
    /** Samples {@code [0, filled)} were written by the event loop (gaps with silence); same publication as index. */
    int filled;
}
