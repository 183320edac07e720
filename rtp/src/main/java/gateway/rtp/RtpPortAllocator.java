package gateway.rtp;

import java.util.BitSet;

/**
 * Hands out even RTP ports (RFC 3550 §11: RTP on an even port, RTCP on the next odd one) from [min, max].
 * Round robin: the search continues after the last port handed out, so a just-released port is the last to be
 * reused and stray packets of the previous call do not reach the next one. It only tracks numbers; a port that
 * fails to bind (taken by another process) is the caller's business: release it and allocate another.
 * Thread-safe (synchronized; calls are rare and short).
 */
public final class RtpPortAllocator {

    private final int min;
    private final int max;
    private final int slots;
    private final BitSet used;
    private int nextSlot;
    private int inUse;

    /**
     * @param min lowest port (rounded up to even)
     * @param max highest port; a port p is only used if p + 1 (its RTCP port) is ≤ max
     */
    public RtpPortAllocator(int min, int max) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("bad RTP port range " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
        int first = (min + 1) & ~1;
        this.slots = first + 1 <= max ? (max - 1 - first) / 2 + 1 : 0;
        if (slots == 0) {
            throw new IllegalArgumentException("no even port pair in RTP port range " + min + "-" + max);
        }
        this.used = new BitSet(slots);
    }

    /** An unused even port. @throws IllegalStateException when all are in use */
    public synchronized int allocate() {
        if (inUse == slots) {
            throw new IllegalStateException("no free RTP port in " + min + "-" + max);
        }
        int slot = used.nextClearBit(nextSlot);
        if (slot >= slots) {
            slot = used.nextClearBit(0);
        }
        used.set(slot);
        inUse++;
        nextSlot = (slot + 1) % slots;
        return portOf(slot);
    }

    /** Returns a port; ports not handed out (or already returned) are ignored. */
    public synchronized void release(int port) {
        int offset = port - portOf(0);
        if (offset < 0 || offset % 2 != 0 || offset / 2 >= slots || !used.get(offset / 2)) {
            return;
        }
        used.clear(offset / 2);
        inUse--;
    }

    /** Ports handed out and not yet released. */
    public synchronized int inUse() {
        return inUse;
    }

    /** How many ports the range holds. */
    public int capacity() {
        return slots;
    }

    private int portOf(int slot) {
        return ((min + 1) & ~1) + 2 * slot;
    }
}
