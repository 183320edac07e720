package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssistantPlayoutTest {

    private static final int FRAME = 480;

    private final List<String> played = new ArrayList<>();
    private final AssistantPlayout playout =
            new AssistantPlayout((r, item, pos, n) -> played.add(item + "@" + pos + "+" + n));

    @Test
    void audioBeyondTheSixtySecondQueueIsDroppedAndCountedAndTheRestStillPlays() {
        short[] second = ramp(0, 24_000);
        for (int s = 0; s < 61; s++) {
            playout.enqueue("resp_1", "item_A", second, 0, second.length);
        }
        assertEquals(24_000, playout.overflowSamples());
        short[] frame = new short[FRAME];
        int frames = 0;
        while (playout.nextFrame(frame, FRAME, (long) frames * FRAME)) {
            frames++;
        }
        assertEquals(AssistantPlayout.CAPACITY_SAMPLES / FRAME, frames);
        assertEquals(AssistantPlayout.CAPACITY_SAMPLES, playout.playedSamplesOfCurrentItem());
    }

    @Test
    void framesComeOutInOrderAndAreAttributedToTheirItems() {
        playout.enqueue("resp_1", "item_A", ramp(0, 700), 0, 700);
        playout.enqueue("resp_1", "item_A", ramp(700, 100), 0, 100);
        playout.enqueue("resp_2", "item_B", ramp(5000, 300), 0, 300);

        short[] frame = new short[FRAME];
        assertTrue(playout.nextFrame(frame, FRAME, 9600));
        assertArrayEquals(ramp(0, FRAME), frame);
        assertEquals(List.of("item_A@9600+480"), played);
        assertEquals(480, playout.playedSamplesOfCurrentItem());

        frame = new short[FRAME];
        assertTrue(playout.nextFrame(frame, FRAME, 10080));
        short[] expected = new short[FRAME];
        System.arraycopy(ramp(480, 320), 0, expected, 0, 320);
        System.arraycopy(ramp(5000, 160), 0, expected, 320, 160);
        assertArrayEquals(expected, frame);
        assertEquals(List.of("item_A@9600+480", "item_A@10080+320", "item_B@10400+160"), played);
        assertEquals("item_B", playout.currentItemId());
        assertEquals(160, playout.playedSamplesOfCurrentItem());

        frame = new short[FRAME];
        assertTrue(playout.nextFrame(frame, FRAME, 10560));
        assertEquals(5160, frame[0], "item B continues where it stopped");
        assertEquals(5299, frame[139]);
        assertEquals(0, frame[140], "the rest of a short last frame stays silent");
        assertNull(playout.queuedItemId());

        frame = new short[FRAME];
        assertFalse(playout.nextFrame(frame, FRAME, 11040));
        assertArrayEquals(new short[FRAME], frame);
    }

    @Test
    void clearDropsQueuedAudioAtOnce() {
        playout.enqueue("resp_1", "item_A", ramp(1, 4800), 0, 4800);
        short[] frame = new short[FRAME];
        playout.nextFrame(frame, FRAME, 0);
        assertEquals("item_A", playout.queuedItemId());
        playout.clear();
        assertNull(playout.queuedItemId());
        frame = new short[FRAME];
        assertFalse(playout.nextFrame(frame, FRAME, FRAME));
        assertArrayEquals(new short[FRAME], frame);
        assertEquals(480, playout.playedSamplesOfCurrentItem(), "what was heard stays counted for the truncate");
    }

    /**
     * The codes being queued pass through the thread's scratch: two calls' playouts, queued in turn on one thread,
     * each play their own codes.
     */
    @Test
    void twoPlayoutsQueuedInTurnOnOneThreadEachPlayTheirOwnCodes() {
        AssistantPlayout other = new AssistantPlayout((r, item, pos, n) -> { });
        byte[][] sent = {new byte[FRAME / 3], new byte[FRAME / 3]};
        for (int i = 0; i < FRAME / 3; i++) {
            sent[0][i] = (byte) i;
            sent[1][i] = (byte) (255 - i);
        }
        for (int f = 0; f < 3; f++) {
            playout.enqueue("resp_1", "item_A", ramp(f * FRAME, FRAME), 0, FRAME, sent[0], 0);
            other.enqueue("resp_2", "item_B", ramp(-f * FRAME, FRAME), 0, FRAME, sent[1], 0);
        }
        AssistantPlayout[] playouts = {playout, other};
        for (int f = 0; f < 3; f++) {
            for (int p = 0; p < 2; p++) {
                assertTrue(playouts[p].nextFrame(new short[FRAME], FRAME, (long) f * FRAME));
                byte[] codes = new byte[FRAME / 3];
                assertTrue(playouts[p].frameCodes(codes, codes.length));
                assertArrayEquals(sent[p], codes, "playout " + p + ", frame " + f);
            }
        }
    }

    private static short[] ramp(int start, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (start + i);
        }
        return s;
    }
}
