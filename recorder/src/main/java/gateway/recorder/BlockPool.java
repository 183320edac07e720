package gateway.recorder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's memory: blocks shared by all calls, at most {@code maxBlocks} of them. Blocks are created on demand
 * (so memory follows what is actually buffered) and kept for reuse; {@link #trim} lets the surplus after a backlog
 * go to the garbage collector. The blocks a period between two trims needed at its peak are not surplus: the loops
 * fill the writer's whole pass before the writer gives them back, so a trim that kept only what is in use at its own
 * moment (just after a pass) would make the next pass allocate them again.
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
    /** The most blocks in use at once since the last {@link #trim}. */
    private final AtomicInteger peakSinceTrim = new AtomicInteger();

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
        if (used > peakSinceTrim.get()) {
            peakSinceTrim.accumulateAndGet(used, Math::max);
        }
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

    /**
     * Drops the free blocks beyond those the period since the last trim needed at its peak plus {@code spare}, so the
     * garbage collector can have them, and starts the next period.
     */
    void trim(int spare) {
        int used = inUse.get();
        int peak = peakSinceTrim.getAndSet(used);
        int keep = Math.max(0, peak - used) + spare;
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
