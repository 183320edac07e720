package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The filters' rounding: {@link ResamplingFilter#saturate} is {@code Math.round} clamped to 16 bits. */
class ResamplingFilterTest {

    /** The definition: round half up ({@link Math#round(float)}), then clamp. */
    private static short rounded(float value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }

    private static void assertSame(float value) {
        assertEquals(rounded(value), ResamplingFilter.saturate(value), () -> value + " (0x"
                + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
    }

    @Test
    void edgesAndSpecialValues() {
        float[] values = {0f, -0f, 0.5f, -0.5f, 0.49999997f, -0.49999997f, 0.50000006f, -0.50000006f, 1.5f, -1.5f,
            2.5f, -2.5f, 32766.5f, 32767.49f, 32767.5f, 32768f, -32767.5f, -32768.5f, -32769f, 1e9f, -1e9f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffffffff)};
        for (float v : values) {
            assertSame(v);
        }
        assertEquals(3, ResamplingFilter.saturate(2.5f));
        assertEquals(-2, ResamplingFilter.saturate(-2.5f));
        assertEquals(0, ResamplingFilter.saturate(Float.NaN));
        assertEquals(Short.MAX_VALUE, ResamplingFilter.saturate(32767.5f));
        assertEquals(Short.MIN_VALUE, ResamplingFilter.saturate(-32768.5f));
    }

    /** Where rounding can go wrong: the floats nearest each integer and each half-integer of the 16-bit range. */
    @Test
    void everyFloatNearAnIntegerOrAHalfInTheSampleRange() {
        for (int k = -33_000; k <= 33_000; k++) {
            for (float centre : new float[] {k, k + 0.5f}) {
                float below = centre;
                float above = centre;
                for (int step = 0; step < 4; step++) {
                    assertSame(below);
                    assertSame(above);
                    below = Math.nextDown(below);
                    above = Math.nextUp(above);
                }
            }
        }
    }

    /** A spread over all 2³² bit patterns (every 4,099th; the whole space was compared once, off the test run). */
    @Test
    void aSpreadOverEveryBitPattern() {
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 4_099) {
            assertSame(Float.intBitsToFloat((int) bits));
        }
    }

    @Test
    void theBlockFormIsTheSampleFormAtAnOffset() {
        float[] sums = new float[301];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = (float) (40_000 * Math.sin(i * 0.37)) + (i % 2 == 0 ? 0.5f : -0.5f);
        }
        short[] out = new short[sums.length + 7];
        ResamplingFilter.saturate(sums, sums.length, out, 7);
        short[] expected = new short[out.length];
        for (int i = 0; i < sums.length; i++) {
            expected[7 + i] = rounded(sums[i]);
        }
        assertArrayEquals(expected, out);
    }
}
