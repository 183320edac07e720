package gateway.rtp;

/**
 * A fixed-size FIFO ring of 24 kHz PCM samples between the agent's audio and the 20 ms pacer. Never blocks and
 * never allocates after construction; what does not fit is dropped and counted. Not thread-safe: used only on
 * the call's event loop.
 */
public final class PlayoutBuffer {

    private final short[] ring;
    private int readIndex;
    private int size;
    private long totalWritten;
    private long totalRead;
    private long totalDiscarded;
    private long overflowSamples;

    public PlayoutBuffer(int capacitySamples) {
        if (capacitySamples <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacitySamples);
        }
        this.ring = new short[capacitySamples];
    }

    /** Appends up to len samples and returns how many fit; the rest are counted in {@link #overflowSamples()}. */
    public int write(short[] src, int off, int len) {
        int accepted = Math.min(len, ring.length - size);
        int writeIndex = (readIndex + size) % ring.length;
        int first = Math.min(accepted, ring.length - writeIndex);
        System.arraycopy(src, off, ring, writeIndex, first);
        System.arraycopy(src, off + first, ring, 0, accepted - first);
        size += accepted;
        totalWritten += accepted;
        overflowSamples += len - accepted;
        return accepted;
    }

    /** Moves up to len samples into dst and returns how many; the rest of dst is left as it was. */
    public int read(short[] dst, int off, int len) {
        int count = Math.min(len, size);
        int first = Math.min(count, ring.length - readIndex);
        System.arraycopy(ring, readIndex, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, count - first);
        readIndex = (readIndex + count) % ring.length;
        size -= count;
        totalRead += count;
        return count;
    }

    /** Samples waiting to be read. */
    public int available() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /** Drops everything waiting (barge-in); the dropped samples count as discarded. */
    public void clear() {
        totalDiscarded += size;
        size = 0;
        readIndex = 0;
    }

    /** Samples accepted by write since construction. */
    public long totalWritten() {
        return totalWritten;
    }

    /** Samples returned by read since construction. */
    public long totalRead() {
        return totalRead;
    }

    /** Samples dropped by clear since construction. */
    public long totalDiscarded() {
        return totalDiscarded;
    }

    /** Samples refused by write because the ring was full. */
    public long overflowSamples() {
        return overflowSamples;
    }
}
