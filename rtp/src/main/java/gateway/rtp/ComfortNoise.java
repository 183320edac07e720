package gateway.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Comfort noise as RFC 3389 describes it for G.711: the sender stops sending audio in a silence and sends a CN
 * packet (static payload type 13) whose first byte is the noise level in −dBov (0 to 127; 0 dBov is a full-scale
 * square wave, §3.1), optionally followed by reflection coefficients of the noise's spectrum. The receiver plays
 * noise at that level until audio resumes. The coefficients are not used: the noise here is white, at the level
 * given, which is what the model needs to hear (a line that is open and quiet) and what the recording should keep.
 * Call's loop only; allocation-free.
 */
final class ComfortNoise {

    /** RFC 3551 table 4: CN at 8 kHz has the static payload type 13. */
    static final int PAYLOAD_TYPE = 13;
    /** The quietest level RFC 3389 can express: −127 dBov. */
    static final int MIN_LEVEL = 127;
    /** A full-scale square wave, 0 dBov: its RMS in 16-bit PCM. */
    private static final double FULL_SCALE = 32767;
    /** Uniform noise over [−a, a] has an RMS of a / √3. */
    private static final double UNIFORM_PEAK_PER_RMS = Math.sqrt(3);

    private int level = MIN_LEVEL;
    private int peak;
    /** xorshift32 state: never 0. */
    private int state = 0x2545_F491;

    /**
     * Takes the level of a CN payload at [{@code off}, {@code off + len}) (RFC 3389 §3: the first byte's low 7
     * bits); an empty payload keeps the previous level.
     */
    void update(ByteBuf buf, int off, int len) {
        if (len > 0) {
            level(buf.getByte(off) & 0x7F);
        }
    }

    /** Sets the noise level in −dBov (0 to 127). */
    void level(int minusDbov) {
        level = minusDbov;
        double rms = FULL_SCALE * Math.pow(10, -minusDbov / 20.0);
        peak = (int) Math.min(Short.MAX_VALUE, Math.round(rms * UNIFORM_PEAK_PER_RMS));
    }

    /** The level last given, in −dBov. */
    int level() {
        return level;
    }

    /** Writes {@code n} samples of noise at the current level. */
    void generate(short[] out, int off, int n) {
        int s = state;
        for (int i = 0; i < n; i++) {
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            // The top 16 bits as a value in [−32768, 32767], scaled to [−peak, peak].
            out[off + i] = (short) (((s >> 16) * (long) peak) >> 15);
        }
        state = s;
    }
}
