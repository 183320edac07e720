package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlayoutBufferTest {

    private static short[] ramp(int from, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (from + i);
        }
        return s;
    }

    @Test
    void wrapsAroundAndKeepsOrder() {
        PlayoutBuffer buffer = new PlayoutBuffer(8);
        assertEquals(6, buffer.write(ramp(1, 6), 0, 6));
        short[] out = new short[5];
        assertEquals(5, buffer.read(out, 0, 5));
        assertArrayEquals(ramp(1, 5), out);
        assertEquals(6, buffer.write(ramp(7, 6), 0, 6)); // wraps: indices 6,7,0,1,2,3
        assertEquals(7, buffer.available());
        short[] all = new short[10];
        all[7] = 99;
        assertEquals(7, buffer.read(all, 0, 10));
        assertArrayEquals(new short[] {6, 7, 8, 9, 10, 11, 12, 99, 0, 0}, all); // rest untouched
        assertEquals(0, buffer.available());
        assertEquals(12, buffer.totalWritten());
        assertEquals(12, buffer.totalRead());
    }

    @Test
    void countsOverflowAndDiscards() {
        PlayoutBuffer buffer = new PlayoutBuffer(4);
        assertEquals(4, buffer.write(ramp(1, 6), 0, 6));
        assertEquals(2, buffer.overflowSamples());
        assertEquals(0, buffer.write(ramp(1, 3), 1, 2));
        assertEquals(4, buffer.overflowSamples());
        short[] out = new short[1];
        buffer.read(out, 0, 1);
        assertEquals(1, out[0]);
        buffer.clear();
        assertEquals(0, buffer.available());
        assertEquals(3, buffer.totalDiscarded());
        assertEquals(1, buffer.totalRead());
        assertEquals(4, buffer.totalWritten());
        assertEquals(2, buffer.write(ramp(50, 2), 0, 2));
        short[] two = new short[2];
        assertEquals(2, buffer.read(two, 0, 2));
        assertArrayEquals(new short[] {50, 51}, two);
    }

    @Test
    void keepsOrderAcrossBlockBoundariesWithOddSizes() {
        PlayoutBuffer buffer = new PlayoutBuffer(24_000);
        int total = PlayoutBuffer.BLOCK_SAMPLES * 3 + 123;
        short[] source = ramp(1, total);
        int written = 0;
        int step = 1;
        while (written < total) {
            int n = Math.min(step, total - written);
            assertEquals(n, buffer.write(source, written, n));
            written += n;
            step = step * 3 + 7;
        }
        short[] frame = new short[480];
        int read = 0;
        while (buffer.available() > 0) {
            int n = buffer.read(frame, 0, 480);
            for (int i = 0; i < n; i++) {
                assertEquals(source[read + i], frame[i], "sample " + (read + i));
            }
            read += n;
        }
        assertEquals(total, read);
        assertEquals(100, buffer.write(ramp(500, 100), 0, 100), "an emptied buffer starts afresh");
        assertEquals(100, buffer.read(frame, 0, 480));
        assertEquals(500, frame[0]);
        assertEquals(599, frame[99]);
    }
}
