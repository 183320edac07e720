package gateway.recorder;

import gateway.library.MissingRange;
import gateway.library.RecordingFormat;
import gateway.library.Role;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One call's audio between its event loop and the writer: two mono channels of pooled {@link SampleBlock}s,
 * addressed by sample position, so each leg can arrive independently and slightly out of order. Samples land at
 * their position in their channel (silence where nothing was written; a later write to the same position wins).
 * The window trails the highest position written by {@code windowFrames}: frames before that are committed, and
 * the writer interleaves them into stereo frames and frees their blocks. A producer that writes its channel in
 * position order may say so as it goes ({@link #settle}: nothing more comes before this position); once both
 * channels are settled past the window's edge, frames up to the less settled one are committed at once, so a call
 * holds the audio it may still receive, not a fixed half second. Writes before the committed point are dropped and
 * counted as late.
 *
 * <p>Each channel has {@code slots} block slots, so a call holds at most that much audio the writer has not yet
 * drained. A write that would need a slot still holding an undrained block, or a block when the pool is empty, is
 * dropped: its samples are counted and listed as a {@link MissingRange} ({@link MissingRange.Cause#BUFFER_FULL}).
 *
 * <p>Threading: {@link #write} and the producer's counters belong to the call's event loop; {@link #drainInto},
 * {@link #discardUntil} and {@link #releaseAll} to the writer. They meet in the highest position written, which the
 * event loop publishes (release) after its samples and below which the writer reads (acquire), and in the slots:
 * a block is published in its slot with release/acquire, and the writer empties a slot (release) only once every
 * frame of its block is committed, so the event loop never writes there again. Each channel's settled position is
 * published the same way, after the writes below it. Never blocks; once the pool is warm,
 * allocates nothing unless audio is lost.
 */
final class CallAudio {

    static final int CHANNELS = RecordingFormat.CHANNELS;
    static final int CALLER = Role.CALLER.channel();
    static final int ASSISTANT = Role.ASSISTANT.channel();
    /** Indexed by channel: the roles are declared in their channels' order. */
    private static final Role[] ROLES = Role.values();
    /**
     * Missing ranges one call lists; a call that keeps losing audio in a pattern cannot grow the list without
     * bound. Past it the last range is stretched to cover the new loss, so the list over-reports, never under-reports.
     */
    static final int MAX_MISSING_RANGES = 1_000;

    private final BlockPool pool;
    private final AtomicReferenceArray<SampleBlock>[] slots;
    private final int slotCount;
    private final int windowFrames;
    private final long maxPosition;
    private final AtomicLong highWater = new AtomicLong();
    /** Per channel: the producer writes nothing more before this position (0 until it says otherwise). */
    private final AtomicLongArray settled = new AtomicLongArray(CHANNELS);

    /** Event loop only. */
    private long producerHighWater;
    private final long[] producerSettled = new long[CHANNELS];
    private long lateSamples;
    private long rejectedSamples;
    private long lostSamples;
    private long droppedWrites;
    private final List<MissingRange> missing = new ArrayList<>();

    /** Writer only. */
    private long drainedLocal;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type can only be made raw
    CallAudio(BlockPool pool, int slotCount, int windowFrames, long maxPosition) {
        if (slotCount <= 0 || windowFrames < 0) {
            throw new IllegalArgumentException("slots " + slotCount + ", window " + windowFrames);
        }
        this.pool = pool;
        this.slotCount = slotCount;
        this.windowFrames = windowFrames;
        this.maxPosition = maxPosition;
        this.slots = new AtomicReferenceArray[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            slots[c] = new AtomicReferenceArray<>(slotCount);
        }
    }

    /**
     * Places {@code length} samples of {@code channel} at {@code position}; returns how many of them were lost
     * because the buffer was full (late and rejected samples are counted separately). Event loop.
     */
    int write(int channel, long position, short[] samples, int offset, int length) {
        if (position < 0 || position > maxPosition - length) {
            rejectedSamples += length;
            return 0;
        }
        long committed = committed(producerHighWater, producerSettled[CALLER], producerSettled[ASSISTANT]);
        if (position < committed) {
            int late = (int) Math.min(length, committed - position);
            lateSamples += late;
            position += late;
            offset += late;
            length -= late;
        }
        if (length == 0) {
            return 0;
        }
        long end = position + length;
        AtomicReferenceArray<SampleBlock> channelSlots = slots[channel];
        int lost = 0;
        while (position < end) {
            long index = position / SampleBlock.FRAMES;
            int at = (int) (position - index * SampleBlock.FRAMES);
            int n = (int) Math.min(end - position, SampleBlock.FRAMES - at);
            SampleBlock block = blockFor(channelSlots, index);
            if (block == null) {
                lose(channel, position, position + n);
                lost += n;
            } else {
                if (at > block.filled) {
                    Arrays.fill(block.samples, block.filled, at, (short) 0);
                }
                System.arraycopy(samples, offset, block.samples, at, n);
                block.filled = Math.max(block.filled, at + n);
            }
            position += n;
            offset += n;
        }
        if (lost > 0) {
            droppedWrites++;
        }
        if (end > producerHighWater) {
            producerHighWater = end;
            highWater.setRelease(end);
        }
        return lost;
    }

    /** The block of {@code index} in this channel, placing a new one in its slot if needed; null when full. */
    private SampleBlock blockFor(AtomicReferenceArray<SampleBlock> channelSlots, long index) {
        int slot = (int) (index % slotCount);
        SampleBlock block = channelSlots.getAcquire(slot);
        if (block != null) {
            // Another block still holds the slot: the writer has not drained it yet, so this one does not fit.
            return block.index == index ? block : null;
        }
        block = pool.acquire();
        if (block == null) {
            return null;
        }
        block.index = index;
        block.filled = 0;
        channelSlots.setRelease(slot, block);
        return block;
    }

    private void lose(int channel, long start, long end) {
        lostSamples += end - start;
        Role role = ROLES[channel];
        int last = missing.size() - 1;
        for (int i = last; i >= 0; i--) {
            MissingRange range = missing.get(i);
            if (range.channel() == role) {
                if (range.endSample() == start) {
                    missing.set(i, new MissingRange(role, range.startSample(), end, range.cause()));
                    return;
                }
                break;
            }
        }
        if (missing.size() < MAX_MISSING_RANGES) {
            missing.add(new MissingRange(role, start, end, MissingRange.Cause.BUFFER_FULL));
        } else {
            MissingRange range = missing.get(last);
            missing.set(last, new MissingRange(range.channel(), Math.min(range.startSample(), start),
                    Math.max(range.endSample(), end), range.cause()));
        }
    }

    /**
     * The producer of {@code channel} writes nothing more before {@code position} (it writes in position order and
     * has written up to there, or its audio there is silence). Event loop; a position below one settled before is
     * ignored.
     */
    void settle(int channel, long position) {
        if (position > producerSettled[channel]) {
            producerSettled[channel] = position;
            settled.setRelease(channel, position);
        }
    }

    /**
     * Frames the writer may take now: all but the last {@code windowFrames} before the highest position written,
     * or up to the less settled channel when that is further, but never past the highest position written.
     */
    long committed() {
        long high = highWater.getAcquire();
        return committed(high, settled.getAcquire(CALLER), settled.getAcquire(ASSISTANT));
    }

    /**
     * The one rule for both sides: the event loop applies it to its own latest values, which bound whatever the
     * writer has seen of them, so it never writes below a frame the writer may have taken.
     */
    private long committed(long high, long callerSettled, long assistantSettled) {
        long bothSettled = Math.min(callerSettled, assistantSettled);
        return Math.max(0, Math.min(high, Math.max(high - windowFrames, bothSettled)));
    }

    /** One past the highest position written so far (the end used when the service shuts down mid-call). */
    long highWater() {
        return highWater.getAcquire();
    }

    /** Frames handed to the writer so far. Writer. */
    long drained() {
        return drainedLocal;
    }

    /**
     * Interleaves frames from {@link #drained()} up to {@code target} into {@code out} as packed stereo frames
     * (caller in the low 16 bits, assistant in the high 16 bits, so a little-endian int is a WAV frame), as many as
     * it has room for, and returns how many. With {@code recycle} each fully drained block goes back to the pool;
     * without (a shutdown racing a live call), blocks are left where they are. Writer.
     */
    int drainInto(long target, IntBuffer out, int[] scratch, boolean recycle) {
        long position = drainedLocal;
        long end = Math.min(target, position + out.remaining());
        while (position < end) {
            long index = position / SampleBlock.FRAMES;
            int at = (int) (position - index * SampleBlock.FRAMES);
            int n = (int) Math.min(end - position, SampleBlock.FRAMES - at);
            int slot = (int) (index % slotCount);
            SampleBlock caller = blockAt(CALLER, slot, index);
            SampleBlock assistant = blockAt(ASSISTANT, slot, index);
            pack(caller, assistant, at, n, scratch);
            out.put(scratch, 0, n);
            position += n;
            if (recycle && at + n == SampleBlock.FRAMES) {
                free(CALLER, slot, caller);
                free(ASSISTANT, slot, assistant);
            }
        }
        int frames = (int) (position - drainedLocal);
        drainedLocal = position;
        return frames;
    }

    /** Skips frames up to {@code target} without reading them (their file failed), freeing their blocks. Writer. */
    void discardUntil(long target) {
        while (drainedLocal < target) {
            long index = drainedLocal / SampleBlock.FRAMES;
            long blockEnd = (index + 1) * SampleBlock.FRAMES;
            if (blockEnd <= target) {
                int slot = (int) (index % slotCount);
                free(CALLER, slot, blockAt(CALLER, slot, index));
                free(ASSISTANT, slot, blockAt(ASSISTANT, slot, index));
            }
            drainedLocal = Math.min(blockEnd, target);
        }
    }

    /** Returns every block still held to the pool; the call's event loop has stopped writing. Writer. */
    void releaseAll() {
        for (int c = 0; c < CHANNELS; c++) {
            for (int slot = 0; slot < slotCount; slot++) {
                SampleBlock block = slots[c].getAcquire(slot);
                if (block != null) {
                    free(c, slot, block);
                }
            }
        }
    }

    private SampleBlock blockAt(int channel, int slot, long index) {
        SampleBlock block = slots[channel].getAcquire(slot);
        return block != null && block.index == index ? block : null;
    }

    private void free(int channel, int slot, SampleBlock block) {
        if (block == null) {
            return;
        }
        slots[channel].setRelease(slot, null);
        pool.release(block);
    }

    /**
     * Packs {@code n} frames from {@code at} of the two blocks (either may be null) into {@code out}: the caller's
     * written samples in the low halves, then the assistant's ORed into the high halves; silence past what each
     * block's event loop wrote. Every frame read here is committed, so {@code filled} no longer moves below it.
     */
    private static void pack(SampleBlock caller, SampleBlock assistant, int at, int n, int[] out) {
        int callerValid = valid(caller, at, n);
        int assistantValid = valid(assistant, at, n);
        if (callerValid == n && assistantValid == n) {
            short[] c = caller.samples;
            short[] a = assistant.samples;
            for (int i = 0; i < n; i++) {
                out[i] = (c[at + i] & 0xFFFF) | (a[at + i] << 16);
            }
            return;
        }
        if (callerValid > 0) {
            short[] c = caller.samples;
            for (int i = 0; i < callerValid; i++) {
                out[i] = c[at + i] & 0xFFFF;
            }
        }
        Arrays.fill(out, callerValid, n, 0);
        if (assistantValid > 0) {
            short[] a = assistant.samples;
            for (int i = 0; i < assistantValid; i++) {
                out[i] |= a[at + i] << 16;
            }
        }
    }

    /** How many of the {@code n} samples from {@code at} the event loop wrote in {@code block}. */
    private static int valid(SampleBlock block, int at, int n) {
        return block == null ? 0 : Math.max(0, Math.min(n, block.filled - at));
    }

    long lateSamples() {
        return lateSamples;
    }

    long rejectedSamples() {
        return rejectedSamples;
    }

    /** Samples lost because the buffer was full, both channels together. Event loop. */
    long lostSamples() {
        return lostSamples;
    }

    /** Writes (packets) of which some samples were lost. Event loop. */
    long droppedWrites() {
        return droppedWrites;
    }

    /** A copy of the ranges lost so far. Event loop. */
    List<MissingRange> missing() {
        return List.copyOf(missing);
    }

    int slotCount() {
        return slotCount;
    }
}
