package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.library.MissingRange;
import gateway.library.Role;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event loop's writes and the writer's drains of one call, on one thread, with a small window. */
class CallAudioTest {

    private static final int BLOCK = SampleBlock.FRAMES;
    private static final int CALLER = CallAudio.CALLER;
    private static final int ASSISTANT = CallAudio.ASSISTANT;

    private final BlockPool pool = new BlockPool(1_000);
    private final CallAudio audio = new CallAudio(pool, 4, 8, 1_000_000);
    private final int[] scratch = new int[BLOCK];

    private static short[] s(int... values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (short) values[i];
        }
        return out;
    }

    /** Drains up to {@code target} through a buffer of {@code room} frames; returns interleaved samples. */
    private short[] drain(long target, int room) {
        return drain(audio, target, room);
    }

    private short[] drain(CallAudio audio, long target, int room) {
        short[] out = new short[0];
        IntBuffer buffer = IntBuffer.allocate(room);
        while (audio.drained() < target) {
            buffer.clear();
            int n = audio.drainInto(target, buffer, scratch, true);
            int old = out.length;
            out = Arrays.copyOf(out, old + 2 * n);
            for (int i = 0; i < n; i++) {
                int frame = buffer.get(i);
                out[old + 2 * i] = (short) frame;
                out[old + 2 * i + 1] = (short) (frame >> 16);
            }
        }
        return out;
    }

    @Test
    void interleavesLegsAtTheirPositionsWithSilenceInGaps() {
        audio.write(ASSISTANT, 2, s(21, 22, 23), 0, 3);
        audio.write(CALLER, 0, s(1, 2, 3, 4), 0, 4);
        audio.write(CALLER, 6, s(7), 0, 1);
        assertEquals(0, audio.committed(), "the window (8 frames) still covers everything");
        assertArrayEquals(s(1, 0, 2, 0, 3, 21, 4, 22, 0, 23, 0, 0, 7, 0, 0, 0), drain(8, 100));
    }

    @Test
    void outOfOrderWithinTheWindowAndOverlapLastWriteWins() {
        audio.write(CALLER, 4, s(5, 6), 0, 2);
        audio.write(CALLER, 0, s(1, 2, 3, 4), 0, 4);
        audio.write(CALLER, 3, s(-4, -5), 0, 2);
        audio.write(ASSISTANT, 1, s(99, 100, 101, 102), 1, 2);
        assertArrayEquals(s(1, 0, 2, 100, 3, 101, -4, 0, -5, 0, 6, 0), drain(6, 4));
    }

    @Test
    void theWindowTrailsTheHighestPositionAndLateWritesAreCountedPartially() {
        audio.write(CALLER, 10, s(11, 12), 0, 2);
        assertEquals(4, audio.committed());
        audio.write(ASSISTANT, 2, s(-3, -4, -5, -6), 0, 4);
        assertEquals(2, audio.lateSamples(), "positions 2 and 3 are behind the window");
        audio.write(ASSISTANT, 0, s(-1), 0, 1);
        assertEquals(3, audio.lateSamples());
        assertArrayEquals(s(0, 0, 0, 0, 0, 0, 0, 0, 0, -5, 0, -6, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 12, 0),
                drain(12, 100));
        assertEquals(0, audio.lostSamples());
    }

    @Test
    void bothChannelsSettledCommitUpToTheLessSettledOneWithoutWaitingForTheWindow() {
        CallAudio call = new CallAudio(pool, 8, BLOCK, 1_000_000);
        short[] frame = filled(480, 6);
        for (long p = 0; p < 2L * BLOCK; p += 480) {
            call.settle(ASSISTANT, p);                  // a tick with nothing to play
            call.write(CALLER, p, frame, 0, 480);
            call.settle(CALLER, p + 480);
        }
        assertEquals(2L * BLOCK - 480, call.committed(), "up to the last tick's start, not highest - window (BLOCK)");
        assertEquals(2, pool.inUse());
        drain(call, call.committed(), 1000);
        assertEquals(1, pool.inUse(), "the first block went back to the pool at once");
        call.write(CALLER, 2L * BLOCK - 960, frame, 0, 480);
        assertEquals(480, call.lateSamples(), "a write behind both settled points is late, as one behind the window");
    }

    @Test
    void anUnsettledChannelLeavesTheWindowRuleAndTheCommitNeverPassesTheHighestWrite() {
        CallAudio call = new CallAudio(pool, 8, 100, 1_000_000);
        call.write(CALLER, 0, filled(1000, 1), 0, 1000);
        call.settle(CALLER, 1000);
        assertEquals(900, call.committed(), "the assistant never settled: the window decides");
        call.settle(ASSISTANT, 5000);
        assertEquals(1000, call.committed(), "both settled: the caller's point, the highest write");
        call.settle(CALLER, 3000);
        assertEquals(1000, call.committed(), "settled past the audio: still no further than what was written");
        call.settle(CALLER, 200);
        assertEquals(1000, call.committed(), "a settled point never goes back");
        call.write(ASSISTANT, 1000, filled(10, 2), 0, 10);
        assertEquals(0, call.lateSamples(), "writing at the committed point is on time");
        assertEquals(1010, call.committed());
    }

    @Test
    void settlingWithTheWindowAheadChangesNothing() {
        CallAudio call = new CallAudio(pool, 8, 100, 1_000_000);
        call.settle(ASSISTANT, 400);
        call.settle(CALLER, 300);
        call.write(CALLER, 500, filled(100, 1), 0, 100);
        assertEquals(500, call.committed(), "highest - window is further than the settled points");
        call.write(ASSISTANT, 550, s(9), 0, 1);
        assertEquals(0, call.lateSamples(), "the window still covers 500 on");
        call.write(ASSISTANT, 499, s(8), 0, 1);
        assertEquals(1, call.lateSamples());
        assertEquals(9, drain(call, 600, 1000)[2 * 550 + 1]);
    }

    @Test
    void writesAcrossBlocksAndLongerThanABlockAreKeptWhole() {
        short[] ramp = new short[2 * BLOCK + 100];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (i % 30_000 + 1);
        }
        audio.write(CALLER, BLOCK - 50, ramp, 0, ramp.length);
        short[] out = drain(BLOCK - 50 + ramp.length, 333);
        for (int p = 0; p < BLOCK - 50; p++) {
            assertEquals(0, out[2 * p], "before " + p);
        }
        for (int i = 0; i < ramp.length; i++) {
            assertEquals(ramp[i], out[2 * (BLOCK - 50 + i)], "sample " + i);
            assertEquals(0, out[2 * (BLOCK - 50 + i) + 1]);
        }
    }

    @Test
    void fullyDrainedBlocksGoBackToThePoolAndReadSilentWhereNothingIsWrittenWhenReused() {
        audio.write(CALLER, 0, filled(BLOCK, 7), 0, BLOCK);
        audio.write(ASSISTANT, 0, filled(BLOCK, 9), 0, BLOCK);
        assertEquals(2, pool.inUse());
        drain(BLOCK - 1, 1000);
        assertEquals(2, pool.inUse(), "a block is kept until its last frame is drained");
        drain(BLOCK, 1000);
        assertEquals(0, pool.inUse());
        CallAudio next = new CallAudio(pool, 4, 8, 100_000);
        next.write(CALLER, 0, s(1), 0, 1);
        next.write(ASSISTANT, 1, s(2), 0, 1);
        assertEquals(2, pool.allocated(), "the freed blocks are reused, not new ones made");
        IntBuffer out = IntBuffer.allocate(BLOCK);
        assertEquals(BLOCK, next.drainInto(BLOCK, out, scratch, true));
        assertEquals(1, out.get(0));
        assertEquals(2 << 16, out.get(1));
        for (int i = 2; i < BLOCK; i++) {
            assertEquals(0, out.get(i), "reused blocks are silent where nothing was written: " + i);
        }
    }

    @Test
    void staleSamplesOfReusedBlocksNeverShowInGapsOrAfterTheLastWrite() {
        // Blocks go back to the pool unzeroed: fill two with a loud value and free them.
        audio.write(CALLER, 0, filled(BLOCK, 0x7777), 0, BLOCK);
        audio.write(ASSISTANT, 0, filled(BLOCK, 0x7777), 0, BLOCK);
        drain(BLOCK, BLOCK);
        CallAudio next = new CallAudio(pool, 4, BLOCK, 1_000_000);
        next.write(CALLER, 100, filled(10, 3), 0, 10);
        next.write(CALLER, 50, filled(10, 2), 0, 10);
        next.write(ASSISTANT, 2000, filled(10, 4), 0, 10);
        assertEquals(2, pool.allocated(), "the dirty blocks were reused");
        short[] out = drain(next, BLOCK, BLOCK);
        for (int p = 0; p < BLOCK; p++) {
            short left = p >= 50 && p < 60 ? (short) 2 : p >= 100 && p < 110 ? (short) 3 : 0;
            short right = p >= 2000 && p < 2010 ? (short) 4 : 0;
            assertEquals(left, out[2 * p], "caller " + p);
            assertEquals(right, out[2 * p + 1], "assistant " + p);
        }
    }

    @Test
    void aWriteBeyondTheSlotsOfAnUndrainedBlockIsLostAndListedExactly() {
        // 4 slots per channel: with nothing drained, blocks 0-3 fit and block 4 would reuse block 0's slot.
        CallAudio call = new CallAudio(pool, 4, BLOCK, 1_000_000);
        short[] frame = filled(480, 5);
        for (long p = 0; p < 5L * BLOCK; p += 480) {
            call.write(CALLER, p, frame, 0, 480);
            if (p >= 4L * BLOCK) {
                call.write(ASSISTANT, p, frame, 0, 480);
            }
        }
        assertEquals(BLOCK, call.lostSamples(), "the caller's block 4 did not fit; the assistant's slot was free");
        assertEquals(5, call.droppedWrites(), "five 20 ms writes fell in block 4");
        assertEquals(List.of(new MissingRange(Role.CALLER, 4L * BLOCK, 5L * BLOCK, MissingRange.Cause.BUFFER_FULL)),
                call.missing());
        drain(call, BLOCK, 1000);
        call.write(CALLER, 5L * BLOCK, frame, 0, 480);
        assertEquals(BLOCK + 480, call.lostSamples(), "block 5's slot is still held by block 1");
        assertEquals(List.of(
                new MissingRange(Role.CALLER, 4L * BLOCK, 5L * BLOCK + 480, MissingRange.Cause.BUFFER_FULL)),
                call.missing(), "the range grows while the loss is contiguous");
        short[] out = drain(call, 5L * BLOCK, 1000);
        assertEquals(5, out[2 * (4 * BLOCK - 1 - BLOCK)], "block 3 kept its samples");
        assertEquals(0, out[2 * (4 * BLOCK - BLOCK)], "the caller's block 4 was lost: silence");
        assertEquals(5, out[2 * (4 * BLOCK - BLOCK) + 1], "the assistant's block 4 is there");
        // Block 1 is drained now, so block 5 fits.
        call.write(CALLER, 5L * BLOCK + 480, frame, 0, 480);
        assertEquals(BLOCK + 480, call.lostSamples());
        assertEquals(5, drain(call, 5L * BLOCK + 960, 1000)[2 * 480]);
    }

    @Test
    void anEmptyPoolLosesTheWriteAndListsIt() {
        BlockPool tiny = new BlockPool(1);
        CallAudio call = new CallAudio(tiny, 4, 8, 100_000);
        call.write(CALLER, 0, filled(480, 1), 0, 480);
        call.write(ASSISTANT, 480, filled(480, 2), 0, 480);
        call.write(ASSISTANT, 960, filled(480, 2), 0, 480);
        assertEquals(960, call.lostSamples());
        assertEquals(List.of(new MissingRange(Role.ASSISTANT, 480, 1440, MissingRange.Cause.BUFFER_FULL)),
                call.missing());
    }

    @Test
    void aJumpFarAheadWithNothingBetweenLosesNothing() {
        // A caller silent (no packets) for longer than the buffer, then speaking: the gap is silence, not a loss.
        audio.write(CALLER, 0, s(1, 2), 0, 2);
        long far = 50L * BLOCK + 7;
        audio.write(CALLER, far, s(3, 4), 0, 2);
        assertEquals(0, audio.lostSamples());
        short[] out = drain(far + 2, 4096);
        assertEquals(1, out[0]);
        assertEquals(2, out[2]);
        assertEquals(0, Arrays.stream(toInts(Arrays.copyOfRange(out, 4, (int) (2 * far)))).filter(v -> v != 0).count());
        assertEquals(3, out[(int) (2 * far)]);
        assertEquals(4, out[(int) (2 * far + 2)]);
    }

    @Test
    void positionsBeyondTheLimitOrNegativeAreRejectedAndCounted() {
        CallAudio call = new CallAudio(pool, 4, 8, 1000);
        call.write(CALLER, 999, s(1, 2), 0, 2);
        call.write(CALLER, -1, s(1), 0, 1);
        assertEquals(3, call.rejectedSamples());
        assertEquals(0, call.highWater());
        call.write(CALLER, 998, s(1, 2), 0, 2);
        assertEquals(3, call.rejectedSamples());
        assertEquals(1000, call.highWater());
    }

    @Test
    void discardingFreesTheBlocksWithoutReadingThem() {
        audio.write(CALLER, 0, filled(3 * BLOCK, 4), 0, 3 * BLOCK);
        assertEquals(3, pool.inUse());
        audio.discardUntil(2L * BLOCK + 10);
        assertEquals(1, pool.inUse());
        assertEquals(2L * BLOCK + 10, audio.drained());
        audio.releaseAll();
        assertEquals(0, pool.inUse());
    }

    private static short[] filled(int n, int value) {
        short[] out = new short[n];
        Arrays.fill(out, (short) value);
        return out;
    }

    private static int[] toInts(short[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
