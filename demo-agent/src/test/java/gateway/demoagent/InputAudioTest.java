package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputAudioTest {

    @Test
    void keepsTheLastTwentySecondsByCumulativePosition() {
        InputAudio input = new InputAudio();
        short[] chunk = new short[24_000];
        for (int second = 0; second < 21; second++) {
            java.util.Arrays.fill(chunk, (short) second);
            input.append(chunk, 0, chunk.length);
        }
        assertEquals(21L * 24_000, input.totalSamples());
        assertArrayEquals(new short[] {1, 1}, input.copy(0, 24_000 + 2), "second 0 is gone; the copy starts at 1 s");
        assertArrayEquals(new short[] {19, 20}, input.copy(20L * 24_000 - 1, 20L * 24_000 + 1));
        assertArrayEquals(new short[] {20}, input.copy(21L * 24_000 - 1, 30L * 24_000));
        assertEquals(0, input.copy(5, 5).length);
    }
}
