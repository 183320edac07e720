package gateway.bridge.call;

import gateway.time.CallTimeline;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Caller audio held while no Realtime session takes it (a reconnect in progress), to be appended to the next
 * session, so what the caller said in the gap still reaches the model. Bounded: beyond {@link #CAPACITY_SAMPLES}
 * the oldest audio is dropped (and counted). Each piece keeps its recording position, so the next session's
 * {@link InputClock} maps it exactly. Allocates per piece: used only in the rare reconnect. Call's loop only.
 */
final class PendingInput {

    /** Ten seconds: more than a reconnect with its back-off takes; older speech would confuse more than help. */
    static final int CAPACITY_SAMPLES = 10 * CallTimeline.SAMPLE_RATE;

    private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
    private int samples;
    private long droppedSamples;

    /** A stretch of caller audio at its recording position. */
    record Piece(long position, short[] pcm) {
    }

    void add(short[] pcm, int offset, int length, long position) {
        pieces.addLast(new Piece(position, Arrays.copyOfRange(pcm, offset, offset + length)));
        samples += length;
        while (samples > CAPACITY_SAMPLES) {
            Piece oldest = pieces.pollFirst();
            samples -= oldest.pcm().length;
            droppedSamples += oldest.pcm().length;
        }
    }

    /** Takes everything held, oldest first. */
    Piece poll() {
        Piece piece = pieces.pollFirst();
        if (piece != null) {
            samples -= piece.pcm().length;
        }
        return piece;
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    /** Samples dropped because the buffer was full. */
    long droppedSamples() {
        return droppedSamples;
    }

    void clear() {
        pieces.clear();
        samples = 0;
    }
}
