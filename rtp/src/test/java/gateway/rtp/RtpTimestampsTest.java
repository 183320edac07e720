package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RtpTimestampsTest {

    @Test
    void differenceIsWrapAroundSafe() {
        assertEquals(160, RtpTimestamps.difference(0x0000_0040L, 0xFFFF_FFA0L));
        assertEquals(-160, RtpTimestamps.difference(0xFFFF_FFA0L, 0x0000_0040L));
        assertEquals(0, RtpTimestamps.difference(12_345, 12_345));
        assertEquals(Integer.MIN_VALUE, RtpTimestamps.difference(0x8000_0000L, 0));
    }

    @Test
    void extendsAcrossTheRolloverInBothDirections() {
        long reference = (7L << 32) + 0xFFFF_FF60L;                  // 7 wraps, 160 units before the next
        assertEquals(reference + 160, RtpTimestamps.extend(0, reference));
        assertEquals(reference + 320, RtpTimestamps.extend(160, reference));
        assertEquals(reference - 160, RtpTimestamps.extend(0xFFFF_FEC0L, reference));
        long afterWrap = (8L << 32) + 80;
        assertEquals(afterWrap - 240, RtpTimestamps.extend(0xFFFF_FF60L, afterWrap)); // late, from before the wrap
        assertEquals(afterWrap + 8_000, RtpTimestamps.extend(8_080, afterWrap));
        assertEquals(afterWrap, RtpTimestamps.extend(afterWrap | (5L << 32), afterWrap)); // high bits ignored
    }
}
