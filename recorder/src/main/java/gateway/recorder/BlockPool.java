package gateway.recorder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's memory: blocks shared by all calls, at most {@code maxBlocks} of them. Blocks are created on demand
 * (so memory follows what is actually buffered) and kept for reuse; {@link #trim} lets the surplus after a backlog
 * go to the garbage collector.
 *
 * <p>Threading: {@link #acquire} from any event loop; {@link #release} and {@link #trim} from the writer. Never
 * blocks; once warm, {@code acquire} and {@code release} allocate nothing.
 */
final class BlockPool {

    private final BoundedRing<SampleBlock> free;
    private final int maxBlocks;
    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger peakInUse = new AtomicInteger();

    BlockPool(int maxBlocks) {
        this.maxBlocks = maxBlocks;
        this.free = new BoundedRing<>(maxBlocks);
    }

    /** A block (its samples stale from its last use), or null when all {@code maxBlocks} are in use. */
    SampleBlock acquire() {
        SampleBlock block = free.poll();
        if (block == null) {
            if (allocated.incrementAndGet() > maxBlocks) {
                allocated.decrementAndGet();
                return null;
            }
            block = new SampleBlock();
        }
        int used = inUse.incrementAndGet();
        if (used > peakInUse.get()) {
            peakInUse.accumulateAndGet(used, Math::max);
        }
        return block;
    }

    /** Takes back a block the writer is done with. */
    void release(SampleBlock block) {
        inUse.decrementAndGet();
        if (!free.offer(block)) {
            allocated.decrementAndGet();
        }
    }

    /** Drops free blocks beyond {@code keep} so the garbage collector can have them. */
    void trim(int keep) {
        while (free.size() > keep) {
            if (free.poll() == null) {
                return;
            }
            allocated.decrementAndGet();
        }
    }

    int inUse() {
        return inUse.get();
    }

    int peakInUse() {
        return peakInUse.get();
    }

    /** Blocks that exist now, in use or free. */
    int allocated() {
        return allocated.get();
    }

    int maxBlocks() {
        return maxBlocks;
    }
}
