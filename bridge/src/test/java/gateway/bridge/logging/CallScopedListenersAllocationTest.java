package gateway.bridge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.rtp.MediaListener;
import gateway.testkit.Allocations;
import gateway.transport.CallLogContext;
import org.junit.jupiter.api.Test;

/**
 * The wrappers that give a call's RTP and Realtime callbacks its log ids sit on the per-packet audio path: they set
 * the ids for the callback, restore what was set before, and allocate nothing.
 */
class CallScopedListenersAllocationTest {

    private static final int PACKETS = 10_000;
    private static final CallLogContext.Ids IDS = new CallLogContext.Ids("20261206T050000Z-0a1b2c3d", "abc@host");

    @Test
    void callerAudioAndPlayoutRunWithTheIdsWithoutAllocating() {
        short[] frame = new short[480];
        long[] seen = new long[1];
        MediaListener call = new MediaListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                seen[0] += CallLogContext.current() == IDS ? 1 : 0;
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                seen[0] += CallLogContext.current() == IDS ? 1 : 0;
                return true;
            }

            @Override
            public void onMediaFault(Throwable error) {
            }
        };
        MediaListener scoped = new CallScopedMediaListener(call, IDS);
        Allocations.Measurement measured = Allocations.leastOf(3, 5, () -> {
            for (int i = 0; i < PACKETS; i++) {
                scoped.onCallerAudio(frame, 0, frame.length, i);
                scoped.nextPlayoutFrame(frame, frame.length, i);
            }
        });
        assertTrue(measured.bytes() < Allocations.BOUND_BYTES, measured.bytes() + " bytes for " + PACKETS + " packets");
        assertEquals(0, seen[0] % (2L * PACKETS), "every callback saw the ids");
        assertTrue(seen[0] > 0);
        assertNull(CallLogContext.current(), "the ids are cleared after each callback");
    }

    @Test
    void audioDeltasRunWithTheIdsWithoutAllocating() {
        short[] delta = new short[2400];
        long[] seen = new long[1];
        RealtimeListener leg = new RealtimeListener() {
            @Override
            public void onEvent(ServerEvent event) {
            }

            @Override
            public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
                seen[0] += CallLogContext.current() == IDS ? 1 : 0;
            }

            @Override
            public void onClosed(int statusCode, String reason) {
            }
        };
        RealtimeListener scoped = new CallScopedRealtimeListener(leg, IDS);
        Allocations.Measurement measured = Allocations.leastOf(3, 5, () -> {
            for (int i = 0; i < PACKETS; i++) {
                scoped.onAudioDelta("resp_1", "item_1", delta, 0, delta.length);
            }
        });
        assertTrue(measured.bytes() < Allocations.BOUND_BYTES, measured.bytes() + " bytes for " + PACKETS + " deltas");
        assertEquals(0, seen[0] % PACKETS, "every delta saw the ids");
        assertNull(CallLogContext.current());
    }
}
