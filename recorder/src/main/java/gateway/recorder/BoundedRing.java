package gateway.recorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded lock-free queue for many producers and many consumers that never allocates after construction
 * (array ring with a sequence number per slot, after Dmitry Vyukov's bounded MPMC queue design).
 * {@link #offer} returns false when full instead of waiting; {@link #poll} returns null when empty.
 */
final class BoundedRing<T> {

    private final Object[] slots;
    private final AtomicLongArray sequences;
    private final int capacity;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();

    BoundedRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.slots = new Object[capacity];
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
    }

    /** Adds {@code item} unless the ring is full; never blocks. */
    boolean offer(T item) {
        long position = tail.get();
        while (true) {
            int slot = (int) (position % capacity);
            long difference = sequences.get(slot) - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    slots[slot] = item;
                    sequences.set(slot, position + 1);
                    return true;
                }
                position = tail.get();
            } else if (difference < 0) {
                return false;
            } else {
                position = tail.get();
            }
        }
    }

    /** Removes the oldest item, or returns null when empty; never blocks. */
    @SuppressWarnings("unchecked")
    T poll() {
        long position = head.get();
        while (true) {
            int slot = (int) (position % capacity);
            long difference = sequences.get(slot) - (position + 1);
            if (difference == 0) {
                if (head.compareAndSet(position, position + 1)) {
                    T item = (T) slots[slot];
                    slots[slot] = null;
                    sequences.set(slot, position + capacity);
                    return item;
                }
                position = head.get();
            } else if (difference < 0) {
                return null;
            } else {
                position = head.get();
            }
        }
    }

    /** Items queued at the moment of the call (approximate while others are offering or polling). */
    int size() {
        long size = tail.get() - head.get();
        return (int) Math.max(0, Math.min(size, capacity));
    }

    int capacity() {
        return capacity;
    }
}
