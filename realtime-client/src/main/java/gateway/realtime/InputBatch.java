package gateway.realtime;

import gateway.time.CallTimeline;

/**
 * When a connection's held input audio goes out. Each append is written to the socket at once but flushed (handed
 * to the kernel) only once a batch of audio is held, or once the call's 20 ms ticks say the oldest held append has
 * waited a batch: so no caller audio waits longer than one batch, and the socket sees one send per batch instead of
 * one per packet. A batch of one tick ({@link CallTimeline#FRAME_MS} ms) sends every append as it is written,
 * whatever its length.
 *
 * <p>Threading: the connection's event loop only.
 */
final class InputBatch {

    private final long batchSamples;
    private final int batchTicks;
    private long heldSamples;
    private int heldTicks;

    /** A batch of {@code batchMs}: a positive multiple of the tick, {@link CallTimeline#FRAME_MS}. */
    InputBatch(int batchMs) {
        checked(batchMs);
        this.batchSamples = (long) batchMs * CallTimeline.SAMPLES_PER_MS;
        this.batchTicks = batchMs / CallTimeline.FRAME_MS;
    }

    /** {@code batchMs}, if it is a positive multiple of {@link CallTimeline#FRAME_MS}. */
    static int checked(int batchMs) {
        if (batchMs < CallTimeline.FRAME_MS || batchMs % CallTimeline.FRAME_MS != 0) {
            throw new IllegalArgumentException("the input batch must be a positive multiple of "
                    + CallTimeline.FRAME_MS + " ms: " + batchMs);
        }
        return batchMs;
    }

    /** {@code samples} (timeline samples) were written; true when what is held is now a batch and must go out. */
    boolean appended(long samples) {
        heldSamples += samples;
        if (batchTicks > 1 && heldSamples < batchSamples) {
            return false;
        }
        flushed();
        return true;
    }

    /** One tick passed; true when audio held over a batch of ticks must go out now. */
    boolean ticked() {
        if (heldSamples == 0 || ++heldTicks < batchTicks) {
            return false;
        }
        flushed();
        return true;
    }

    /** Everything written went out (any flush of the socket). */
    void flushed() {
        heldSamples = 0;
        heldTicks = 0;
    }

    /** Timeline samples written and not yet flushed. */
    long heldSamples() {
        return heldSamples;
    }
}
