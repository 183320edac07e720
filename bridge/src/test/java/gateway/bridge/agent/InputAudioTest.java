package gateway.bridge.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputAudioTest {

    @Test
    void keepsTheLastMinuteByCumulativePosition() {
        InputAudio input = new InputAudio();
        short[] chunk = new short[24_000];
        for (int second = 0; second < 61; second++) {
            java.util.Arrays.fill(chunk, (short) second);
            input.append(chunk, 0, chunk.length);
        }
        assertEquals(61L * 24_000, input.totalSamples());
        assertArrayEquals(new short[] {1, 1}, input.copy(0, 24_000 + 2), "second 0 is gone; the copy starts at 1 s");
        assertArrayEquals(new short[] {59, 60}, input.copy(60L * 24_000 - 1, 60L * 24_000 + 1));
        assertArrayEquals(new short[] {60}, input.copy(61L * 24_000 - 1, 70L * 24_000));
        assertEquals(0, input.copy(5, 5).length);
    }
}
