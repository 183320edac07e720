package gateway.recorder;

import gateway.library.RecordingFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * The writer's one output buffer, shared by all calls because the writer handles one call at a time: stereo frames
 * are packed into {@link #frames} (a little-endian int per frame is exactly a WAV frame) and written from
 * {@link #bytes} with one positional write per fill. Writer thread only.
 */
final class FrameBuffer {

    /** About 0.7 s of stereo audio: a normal pass (0.25 s per call) takes one write; a backlog takes few. */
    static final int BYTES = 64 * 1024;

    final ByteBuffer bytes = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    final IntBuffer frames = bytes.asIntBuffer();
    /** One block's worth of packed frames, filled from the two channels before the bulk copy into {@link #frames}. */
    final int[] scratch = new int[SampleBlock.FRAMES];

    /** Makes {@link #bytes} cover the {@code count} frames just packed. */
    ByteBuffer packed(int count) {
        bytes.limit(count * RecordingFormat.BYTES_PER_FRAME).position(0);
        return bytes;
    }
}
