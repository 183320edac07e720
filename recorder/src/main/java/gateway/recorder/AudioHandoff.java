package gateway.recorder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, allocation-free path from event loops to the writer: a pool of chunks and a queue of filled ones.
 * Producers (event loops) call {@link #submit}; it copies into a pooled chunk and queues it, or drops and counts when
 * the pool is exhausted or the queue is full. Never blocks. The writer calls {@link #poll} and {@link #recycle}.
 */
final class AudioHandoff {

    /** Chunks the writer may hold outside the queue while working on them. */
    private static final int WRITER_IN_HAND = 1;

    private final BoundedRing<Chunk> queue;
    private final BoundedRing<Chunk> free;
    private final int maxChunks;
    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    AudioHandoff(int queueCapacityChunks) {
        this.queue = new BoundedRing<>(queueCapacityChunks);
        this.maxChunks = queueCapacityChunks + WRITER_IN_HAND;
        this.free = new BoundedRing<>(maxChunks);
    }

    /**
     * Copies {@code length} samples (at most {@link Chunk#CAPACITY}) and queues them for the writer.
     * Returns false (and counts one dropped chunk) when there is no room.
     */
    boolean submit(CallRecording owner, int channel, long position, short[] samples, int offset, int length) {
        Chunk chunk = acquire();
        if (chunk == null) {
            dropped.incrementAndGet();
            return false;
        }
        System.arraycopy(samples, offset, chunk.samples, 0, length);
        chunk.owner = owner;
        chunk.channel = channel;
        chunk.position = position;
        chunk.length = length;
        if (!queue.offer(chunk)) {
            recycle(chunk);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** The oldest queued chunk, or null. Writer thread. */
    Chunk poll() {
        return queue.poll();
    }

    /** Returns a consumed chunk to the pool. */
    void recycle(Chunk chunk) {
        chunk.owner = null;
        free.offer(chunk);
    }

    int queued() {
        return queue.size();
    }

    long droppedChunks() {
        return dropped.get();
    }

    /** Chunks created so far (at most the queue capacity plus what the writer holds). */
    int allocatedChunks() {
        return allocated.get();
    }

    private Chunk acquire() {
        Chunk chunk = free.poll();
        if (chunk != null) {
            return chunk;
        }
        if (allocated.incrementAndGet() > maxChunks) {
            allocated.decrementAndGet();
            return null;
        }
        return new Chunk();
    }
}
