package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StereoWindowTest {

    /** Collects flushed frames as interleaved samples. */
    private static final class Collector implements StereoWindow.Sink {
        short[] samples = new short[0];

        @Override
        public void frames(short[] interleaved, int offset, int frames) {
            int old = samples.length;
            samples = Arrays.copyOf(samples, old + frames * 2);
            System.arraycopy(interleaved, offset, samples, old, frames * 2);
        }
    }

    private final Collector sink = new Collector();
    private final StereoWindow window = new StereoWindow(8, 1000, sink);

    private static short[] s(int... values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (short) values[i];
        }
        return out;
    }

    @Test
    void interleavesLegsAtTheirPositionsWithSilenceInGaps() throws Exception {
        window.write(StereoWindow.ASSISTANT, 2, s(21, 22, 23), 0, 3);
        window.write(StereoWindow.CALLER, 0, s(1, 2, 3, 4), 0, 4);
        window.write(StereoWindow.CALLER, 6, s(7), 0, 1);
        window.finish(8);
        assertArrayEquals(s(1, 0, 2, 0, 3, 21, 4, 22, 0, 23, 0, 0, 7, 0, 0, 0), sink.samples);
        assertEquals(8, window.flushedFrames());
    }

    @Test
    void outOfOrderWithinWindowAndOverlapLastWriteWins() throws Exception {
        window.write(StereoWindow.CALLER, 4, s(5, 6), 0, 2);
        window.write(StereoWindow.CALLER, 0, s(1, 2, 3, 4), 0, 4);
        window.write(StereoWindow.CALLER, 3, s(-4, -5), 0, 2);
        window.write(StereoWindow.ASSISTANT, 1, s(99, 100, 101, 102), 1, 2);
        window.finish(6);
        assertArrayEquals(s(1, 0, 2, 100, 3, 101, -4, 0, -5, 0, 6, 0), sink.samples);
    }

    @Test
    void writesBeyondTheWindowFlushTheOldestFrames() throws Exception {
        window.write(StereoWindow.CALLER, 0, s(1, 2, 3), 0, 3);
        window.write(StereoWindow.CALLER, 9, s(10), 0, 1);
        assertEquals(2, window.flushedFrames());
        assertArrayEquals(s(1, 0, 2, 0), sink.samples);
        window.write(StereoWindow.ASSISTANT, 2, s(33), 0, 1);
        window.finish(10);
        assertArrayEquals(s(1, 0, 2, 0, 3, 33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0), sink.samples);
    }

    @Test
    void lateWritesAreDroppedAndCountedPartially() throws Exception {
        window.write(StereoWindow.CALLER, 10, s(11, 12), 0, 2);
        assertEquals(4, window.flushedFrames());
        window.write(StereoWindow.ASSISTANT, 2, s(-3, -4, -5, -6), 0, 4);
        assertEquals(2, window.lateSamples());
        window.write(StereoWindow.ASSISTANT, 0, s(-1), 0, 1);
        assertEquals(3, window.lateSamples());
        window.finish(12);
        assertArrayEquals(s(0, 0, 0, 0, 0, 0, 0, 0, 0, -5, 0, -6, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 12, 0),
                sink.samples);
    }

    @Test
    void finishPadsWithSilenceAndDropsFramesAfterTheEnd() throws Exception {
        window.write(StereoWindow.CALLER, 1, s(2, 3, 4), 0, 3);
        window.finish(3);
        assertArrayEquals(s(0, 0, 2, 0, 3, 0), sink.samples);
        Collector other = new Collector();
        StereoWindow padded = new StereoWindow(4, 1000, other);
        padded.write(StereoWindow.ASSISTANT, 0, s(1), 0, 1);
        padded.finish(11);
        assertEquals(22, other.samples.length);
        assertEquals(1, other.samples[1]);
        assertEquals(1, Arrays.stream(toInts(other.samples)).filter(v -> v != 0).count());
    }

    @Test
    void writesLongerThanTheWindowAreKeptWhole() throws Exception {
        short[] ramp = new short[20];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (i + 1);
        }
        window.write(StereoWindow.CALLER, 0, ramp, 0, 20);
        assertEquals(0, window.lateSamples());
        window.finish(20);
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, sink.samples[2 * i]);
            assertEquals(0, sink.samples[2 * i + 1]);
        }
    }

    @Test
    void positionsBeyondTheLimitOrNegativeAreRejectedAndCounted() throws Exception {
        window.write(StereoWindow.CALLER, 999, s(1, 2), 0, 2);
        window.write(StereoWindow.CALLER, -1, s(1), 0, 1);
        assertEquals(3, window.rejectedSamples());
        assertEquals(0, window.highWater());
        window.write(StereoWindow.CALLER, 998, s(1, 2), 0, 2);
        assertEquals(3, window.rejectedSamples());
        assertEquals(1000, window.highWater());
    }

    private static int[] toInts(short[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
