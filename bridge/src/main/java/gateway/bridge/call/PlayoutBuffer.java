package gateway.bridge.call;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;

/**
 * A FIFO of 24 kHz PCM samples between the agent's audio and the 20 ms pacer. It holds its samples in 100 ms
 * blocks taken from a pool kept per thread (the call's event loop), so an idle call holds no audio memory and the
 * steady state allocates nothing. Never blocks; what exceeds the capacity is dropped and counted.
 * Not thread-safe: used only on the call's event loop.
 */
public final class PlayoutBuffer {

    /** Block size: 100 ms at 24 kHz (4.8 KB), small against a reply yet few blocks per second. */
    static final int BLOCK_SAMPLES = 2400;
    /** Idle blocks a thread keeps for reuse: 400 blocks = 40 s of audio, 1.9 MB per event loop. */
    static final int POOL_LIMIT = 400;

    private static final FastThreadLocal<ArrayDeque<short[]>> POOL = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<short[]> initialValue() {
            return new ArrayDeque<>();
        }
    };

    private final int capacity;
    private final ArrayDeque<short[]> blocks = new ArrayDeque<>();
    private int readOffset;
    private int writeOffset = BLOCK_SAMPLES;
    private int size;
    private long totalWritten;
    private long totalRead;
    private long totalDiscarded;
    private long overflowSamples;

    public PlayoutBuffer(int capacitySamples) {
        if (capacitySamples <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacitySamples);
        }
        this.capacity = capacitySamples;
    }

    /** Appends up to len samples and returns how many fit; the rest are counted in {@link #overflowSamples()}. */
    public int write(short[] src, int off, int len) {
        int accepted = Math.min(len, capacity - size);
        int done = 0;
        while (done < accepted) {
            if (writeOffset == BLOCK_SAMPLES) {
                blocks.addLast(takeBlock());
                writeOffset = 0;
            }
            int n = Math.min(accepted - done, BLOCK_SAMPLES - writeOffset);
            System.arraycopy(src, off + done, blocks.peekLast(), writeOffset, n);
            writeOffset += n;
            done += n;
        }
        size += accepted;
        totalWritten += accepted;
        overflowSamples += len - accepted;
        return accepted;
    }

    /** Moves up to len samples into dst and returns how many; the rest of dst is left as it was. */
    public int read(short[] dst, int off, int len) {
        int count = Math.min(len, size);
        int done = 0;
        while (done < count) {
            short[] head = blocks.peekFirst();
            int limit = blocks.size() == 1 ? writeOffset : BLOCK_SAMPLES;
            int n = Math.min(count - done, limit - readOffset);
            System.arraycopy(head, readOffset, dst, off + done, n);
            readOffset += n;
            done += n;
            if (readOffset == BLOCK_SAMPLES) {
                giveBack(blocks.pollFirst());
                readOffset = 0;
            }
        }
        size -= count;
        totalRead += count;
        if (size == 0) {
            releaseAll();
        }
        return count;
    }

    /** Samples waiting to be read. */
    public int available() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Drops everything waiting (barge-in); the dropped samples count as discarded. */
    public void clear() {
        totalDiscarded += size;
        size = 0;
        releaseAll();
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

    /** Samples refused by write because the buffer was full. */
    public long overflowSamples() {
        return overflowSamples;
    }

    private void releaseAll() {
        while (!blocks.isEmpty()) {
            giveBack(blocks.pollFirst());
        }
        readOffset = 0;
        writeOffset = BLOCK_SAMPLES;
    }

    private static short[] takeBlock() {
        short[] block = POOL.get().pollFirst();
        return block != null ? block : new short[BLOCK_SAMPLES];
    }

    private static void giveBack(short[] block) {
        ArrayDeque<short[]> pool = POOL.get();
        if (pool.size() < POOL_LIMIT) {
            pool.addFirst(block);
        }
    }
}
