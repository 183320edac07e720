package gateway.bridge.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One live listener's queue of a call's audio and events: the call's loop offers, the listener's loop drains. The
 * audio goes into {@value #SLOTS} preallocated slots of up to {@value #SLOT_SAMPLES} samples each (a single producer
 * and a single consumer, ordered by two counters), so offering allocates nothing and never waits: when the listener
 * falls behind, the frame is dropped and counted. Events (a few per turn) go into a queue bounded at
 * {@value #MAX_EVENTS}.
 */
public final class ListenQueue {

    /** The caller's channel in {@link Frames#frame}. */
    public static final int CALLER = 0;
    /** The assistant's channel in {@link Frames#frame}. */
    public static final int ASSISTANT = 1;
    /** About 1.3 s of 20 ms frames of both channels: a listener this far behind is too slow to follow the call. */
    static final int SLOTS = 128;
    /** 40 ms at 24 kHz; a longer chunk takes several slots. */
    static final int SLOT_SAMPLES = 960;
    static final int MAX_EVENTS = 256;

    /** Receives drained audio: PCM16 at 24 kHz of one channel, at recording {@code position}. */
    @FunctionalInterface
    public interface Frames {
        void frame(int channel, long position, long capturedAtMs, short[] pcm, int offset, int length);
    }

    private final short[] samples = new short[SLOTS * SLOT_SAMPLES];
    private final int[] channels = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final long[] positions = new long[SLOTS];
    private final long[] captured = new long[SLOTS];
    /** Slots written: the producer's counter. */
    private final AtomicLong written = new AtomicLong();
    /** Slots read: the consumer's counter. */
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger eventCount = new AtomicInteger();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    /** Call's loop: queues {@code length} samples of {@code channel}; drops (and counts) what does not fit. */
    void offer(int channel, long position, long capturedAtMs, short[] pcm, int offset, int length) {
        long w = written.get();
        for (int done = 0; done < length; done += SLOT_SAMPLES) {
            if (w - read.get() >= SLOTS) {
                dropped.incrementAndGet();
                continue;
            }
            int slot = (int) (w % SLOTS);
            int n = Math.min(SLOT_SAMPLES, length - done);
            System.arraycopy(pcm, offset + done, samples, slot * SLOT_SAMPLES, n);
            channels[slot] = channel;
            lengths[slot] = n;
            positions[slot] = position + done;
            captured[slot] = capturedAtMs;
            w++;
            written.lazySet(w);
        }
    }

    /** Call's loop: queues a JSON event; drops (and counts) it when {@value #MAX_EVENTS} wait. */
    void event(String json) {
        if (eventCount.incrementAndGet() > MAX_EVENTS) {
            eventCount.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        events.add(json);
    }

    /** The call ended: the listener is told once it has drained what is queued. */
    void end() {
        ended.complete(null);
    }

    /** Listener's loop: hands everything queued so far to {@code frames} and {@code eventSink}, in order each. */
    public void drain(Frames frames, Consumer<String> eventSink) {
        for (String e = events.poll(); e != null; e = events.poll()) {
            eventCount.decrementAndGet();
            eventSink.accept(e);
        }
        long r = read.get();
        long w = written.get();
        while (r < w) {
            int slot = (int) (r % SLOTS);
            frames.frame(channels[slot], positions[slot], captured[slot], samples, slot * SLOT_SAMPLES,
                    lengths[slot]);
            r++;
            read.lazySet(r);
        }
    }

    /** Frames and events dropped because the listener was behind. Any thread. */
    public long dropped() {
        return dropped.get();
    }

    /** Completes (on the call's loop) when the call has ended. */
    public CompletableFuture<Void> ended() {
        return ended;
    }
}
