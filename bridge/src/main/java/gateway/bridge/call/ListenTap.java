package gateway.bridge.call;

import java.time.InstantSource;
import java.util.Arrays;

/**
 * The call's live listeners ({@link ListenQueue}), at most {@value #MAX_LISTENERS}: every frame the recording takes
 * and the call's turn events go to each. Call's loop only; with nobody listening a frame costs one array length
 * check, with listeners a wall-clock read and a copy per listener, and no allocation.
 */
final class ListenTap {

    static final int MAX_LISTENERS = 4;
    private static final ListenQueue[] NONE = new ListenQueue[0];

    private final InstantSource wallClock;
    private ListenQueue[] queues = NONE;

    ListenTap(InstantSource wallClock) {
        this.wallClock = wallClock;
    }

    /** Adds a listener; false when {@value #MAX_LISTENERS} already listen. */
    boolean add(ListenQueue queue) {
        if (queues.length >= MAX_LISTENERS) {
            return false;
        }
        ListenQueue[] more = Arrays.copyOf(queues, queues.length + 1);
        more[queues.length] = queue;
        queues = more;
        return true;
    }

    void remove(ListenQueue queue) {
        queues = Arrays.stream(queues).filter(q -> q != queue).toArray(ListenQueue[]::new);
    }

    boolean active() {
        return queues.length > 0;
    }

    /** Samples of {@code channel} ({@link ListenQueue#CALLER} or {@link ListenQueue#ASSISTANT}) as recorded. */
    void audio(int channel, long position, short[] pcm, int offset, int length) {
        if (queues.length == 0) {
            return;
        }
        long now = wallClock.millis();
        for (ListenQueue queue : queues) {
            queue.offer(channel, position, now, pcm, offset, length);
        }
    }

    void event(String json) {
        for (ListenQueue queue : queues) {
            queue.event(json);
        }
    }

    /** The call ended: every listener is told, and the tap is empty. */
    void end() {
        for (ListenQueue queue : queues) {
            queue.end();
        }
        queues = NONE;
    }
}
