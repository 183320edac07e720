package gateway.bridge.call;

import gateway.time.CallTimeline;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;

/**
 * The assistant's audio waiting to be played to the caller, with the item each stretch belongs to.
 * The model sends audio faster than real time; the pacer takes one 20 ms frame per tick. Audio the model sent in
 * G.711 is queued twice, as its 24 kHz samples (for the recording and the timing) and as its own codes beside them
 * (one per 3 samples), so the frame can go to the caller without re-encoding ({@link #frameCodes}).
 * Single-threaded: the call's loop.
 */
final class AssistantPlayout {

    /** Queue limit: 60 s of 24 kHz audio; replies are rarely longer and the model's lead is a few seconds at most. */
    static final int CAPACITY_SAMPLES = 24_000 * 60;

    private final PlayoutBuffer buffer = new PlayoutBuffer(CAPACITY_SAMPLES);
    /**
     * The codes being queued, widened to shorts: the thread's (event loop's), shared by its calls, where each call
     * held its own (1 KB); filled and read within one {@link #enqueue}, which calls out to nothing.
     */
    private static final FastThreadLocal<short[]> CODE_SCRATCH = new FastThreadLocal<>() {
        @Override
        protected short[] initialValue() {
            return new short[ModelAudio.CHUNK];
        }
    };

    /** The model's codes, one (held in a short) per 3 samples of {@link #buffer}. */
    private final PlayoutBuffer codes = new PlayoutBuffer(CAPACITY_SAMPLES / CallTimeline.SAMPLES_PER_RTP_UNIT);
    /** The codes of the last frame, and how many of its samples they cover (the rest had none). */
    private final short[] frameCodes = new short[CallTimeline.FRAME_SAMPLES * 3 / CallTimeline.SAMPLES_PER_RTP_UNIT];
    private int frameCodeCount;
    private int frameFilled;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final PlayoutObserver observer;
    private Segment playing;
    private long playedOfCurrentItem;
    private String currentItemId;
    private String currentResponseId;

    AssistantPlayout(PlayoutObserver observer) {
        this.observer = observer;
    }

    /** Agent audio dropped so far because the queue was full, in samples. */
    long overflowSamples() {
        return buffer.overflowSamples();
    }

    /** Queues decoded assistant audio of one response item. */
    void enqueue(String responseId, String itemId, short[] pcm, int offset, int length) {
        enqueue(responseId, itemId, pcm, offset, length, null, 0);
    }

    /**
     * Queues assistant audio of one response item with the G.711 codes it was decoded from ({@code length / 3} of
     * them from {@code codeOffset}; at most {@link ModelAudio#CHUNK}); {@code sent} null when it came as PCM.
     */
    void enqueue(String responseId, String itemId, short[] pcm, int offset, int length, byte[] sent,
                 int codeOffset) {
        int accepted = buffer.write(pcm, offset, length);
        if (sent != null) {
            int count = accepted / CallTimeline.SAMPLES_PER_RTP_UNIT;
            short[] codeScratch = CODE_SCRATCH.get();
            for (int i = 0; i < count; i++) {
                codeScratch[i] = (short) (sent[codeOffset + i] & 0xFF);
            }
            codes.write(codeScratch, 0, count);
        }
        if (accepted == 0) {
            return;
        }
        Segment last = segments.peekLast();
        if (last != null && last.itemId.equals(itemId) && last.responseId.equals(responseId)) {
            last.remaining += accepted;
        } else {
            segments.addLast(new Segment(responseId, itemId, accepted));
        }
    }

    /**
     * Fills {@code frame} with the next {@code length} samples (the rest stays silent) and reports what was played.
     * Returns true when the frame holds assistant audio.
     */
    boolean nextFrame(short[] frame, int length, long position) {
        int filled = 0;
        frameCodeCount = 0;
        while (filled < length && !segments.isEmpty()) {
            Segment head = segments.peekFirst();
            int n = (int) Math.min(head.remaining, length - filled);
            int read = buffer.read(frame, filled, n);
            if (read <= 0) {
                segments.clear();
                break;
            }
            frameCodeCount += codes.read(frameCodes, frameCodeCount, read / CallTimeline.SAMPLES_PER_RTP_UNIT);
            if (!head.itemId.equals(currentItemId)) {
                currentItemId = head.itemId;
                currentResponseId = head.responseId;
                playedOfCurrentItem = 0;
            }
            playedOfCurrentItem += read;
            observer.played(head.responseId, head.itemId, position + filled, read);
            filled += read;
            head.remaining -= read;
            if (head.remaining == 0) {
                segments.pollFirst();
            }
        }
        frameFilled = filled;
        return filled > 0;
    }

    /**
     * The codes of the frame {@link #nextFrame} filled last, into {@code out[0, units)} (past them {@code out} keeps
     * its silence); false when that frame was not all the model's codes (it came as PCM).
     */
    boolean frameCodes(byte[] out, int units) {
        if (frameFilled == 0 || frameCodeCount * CallTimeline.SAMPLES_PER_RTP_UNIT != frameFilled
                || frameCodeCount > units) {
            return false;
        }
        for (int i = 0; i < frameCodeCount; i++) {
            out[i] = (byte) frameCodes[i];
        }
        return true;
    }

    /** The item whose audio is next in the queue, or null when nothing is queued. */
    String queuedItemId() {
        Segment head = segments.peekFirst();
        return head == null ? null : head.itemId;
    }

    /** The response whose audio is next in the queue, or null. */
    String queuedResponseId() {
        Segment head = segments.peekFirst();
        return head == null ? null : head.responseId;
    }

    /** The item whose audio was played last, or null. */
    String currentItemId() {
        return currentItemId;
    }

    String currentResponseId() {
        return currentResponseId;
    }

    /** Samples of the current item played so far. */
    long playedSamplesOfCurrentItem() {
        return playedOfCurrentItem;
    }

    /** Drops everything queued (barge-in); playback goes silent on the next tick. */
    void clear() {
        buffer.clear();
        codes.clear();
        segments.clear();
    }


    private static final class Segment {
        final String responseId;
        final String itemId;
        long remaining;

        Segment(String responseId, String itemId, long remaining) {
            this.responseId = responseId;
            this.itemId = itemId;
            this.remaining = remaining;
        }
    }
}
