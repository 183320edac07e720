package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Allocations;
import gateway.testkit.Signals;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live listeners' tap: what goes in comes out in order, a slow listener loses frames alone, no allocation. */
class ListenTapTest {

    private static final int FRAME = 480;
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_123L));

    /** One drained frame. */
    private record Got(int channel, long position, long capturedAtMs, short[] pcm) {
    }

    private static List<Got> drain(ListenQueue queue, List<String> events) {
        List<Got> got = new ArrayList<>();
        queue.drain((channel, position, at, pcm, offset, length) -> got.add(new Got(channel, position, at,
                Arrays.copyOfRange(pcm, offset, offset + length))), events::add);
        return got;
    }

    @Test
    void framesComeOutAsTheyWentInAndALongChunkTakesSeveralSlots() {
        ListenTap tap = new ListenTap(CLOCK);
        ListenQueue queue = new ListenQueue();
        assertTrue(tap.add(queue));
        short[] caller = Signals.sine(1000, 24_000, 8000, FRAME);
        short[] assistant = Signals.sine(440, 24_000, 8000, 3 * ListenQueue.SLOT_SAMPLES / 2);
        tap.audio(ListenQueue.CALLER, 4_800, caller, 0, FRAME);
        tap.event("{\"type\":\"agent_reply_started\"}");
        tap.audio(ListenQueue.ASSISTANT, 4_800, assistant, 0, assistant.length);
        List<String> events = new ArrayList<>();
        List<Got> got = drain(queue, events);
        assertEquals(List.of("{\"type\":\"agent_reply_started\"}"), events);
        assertEquals(3, got.size());
        assertEquals(ListenQueue.CALLER, got.get(0).channel());
        assertEquals(4_800, got.get(0).position());
        assertEquals(1_700_000_000_123L, got.get(0).capturedAtMs());
        assertTrue(Arrays.equals(caller, got.get(0).pcm()));
        assertEquals(4_800 + ListenQueue.SLOT_SAMPLES, got.get(2).position());
        short[] joined = new short[assistant.length];
        System.arraycopy(got.get(1).pcm(), 0, joined, 0, got.get(1).pcm().length);
        System.arraycopy(got.get(2).pcm(), 0, joined, got.get(1).pcm().length, got.get(2).pcm().length);
        assertTrue(Arrays.equals(assistant, joined));
        assertEquals(0, queue.dropped());
        assertEquals(List.of(), drain(queue, events), "nothing twice");
    }

    @Test
    void aSlowListenerLosesFramesAloneAndTheyAreCounted() {
        ListenTap tap = new ListenTap(CLOCK);
        ListenQueue slow = new ListenQueue();
        ListenQueue fast = new ListenQueue();
        tap.add(slow);
        tap.add(fast);
        short[] frame = new short[FRAME];
        int total = ListenQueue.SLOTS + 10;
        int fastGot = 0;
        for (int i = 0; i < total; i++) {
            tap.audio(ListenQueue.CALLER, (long) i * FRAME, frame, 0, FRAME);
            fastGot += drain(fast, new ArrayList<>()).size();
        }
        assertEquals(total, fastGot);
        assertEquals(0, fast.dropped());
        List<Got> got = drain(slow, new ArrayList<>());
        assertEquals(ListenQueue.SLOTS, got.size(), "the first ones, in order");
        assertEquals((long) (ListenQueue.SLOTS - 1) * FRAME, got.get(got.size() - 1).position());
        assertEquals(10, slow.dropped());
    }

    @Test
    void atMostFourListenAndTheEndTellsEachOne() {
        ListenTap tap = new ListenTap(CLOCK);
        List<ListenQueue> queues = new ArrayList<>();
        for (int i = 0; i < ListenTap.MAX_LISTENERS; i++) {
            queues.add(new ListenQueue());
            assertTrue(tap.add(queues.get(i)));
        }
        assertFalse(tap.add(new ListenQueue()));
        tap.remove(queues.get(0));
        assertTrue(tap.active());
        tap.end();
        assertFalse(tap.active());
        assertFalse(queues.get(0).ended().isDone(), "it had left before");
        assertTrue(queues.stream().skip(1).allMatch(q -> q.ended().isDone()));
    }

    @Test
    void offeringToListenersAllocatesNothing() {
        ListenTap tap = new ListenTap(InstantSource.system());
        ListenQueue[] queues = new ListenQueue[ListenTap.MAX_LISTENERS];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ListenQueue();
            tap.add(queues[i]);
        }
        short[] frame = Signals.sine(1000, 24_000, 8000, FRAME);
        long[] position = {0};
        ListenQueue.Frames ignore = (channel, at, captured, pcm, offset, length) -> { };
        long allocated = Allocations.leastOf(10, 3, () -> {
            for (ListenQueue queue : queues) {
                queue.drain(ignore, e -> { });
            }
            for (int f = 0; f < ListenQueue.SLOTS / 2; f++) {
                tap.audio(ListenQueue.CALLER, position[0], frame, 0, FRAME);
                tap.audio(ListenQueue.ASSISTANT, position[0], frame, 0, FRAME);
                position[0] += FRAME;
            }
        }).bytes();
        assertTrue(allocated < Allocations.BOUND_BYTES, "allocated " + allocated + " bytes for "
                + ListenQueue.SLOTS + " frames to " + queues.length + " listeners");
        assertEquals(0, queues[0].dropped());
    }
}
