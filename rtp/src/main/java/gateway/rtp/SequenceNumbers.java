package gateway.rtp;

/**
 * Wrap-around arithmetic on 16-bit RTP sequence numbers (RFC 3550 §5.1, Appendix A.1): two numbers are compared
 * by the shortest signed distance between them modulo 2^16, so 0 follows 65535. Stateless.
 */
public final class SequenceNumbers {

    /** Size of the sequence number space. */
    public static final int MODULUS = 1 << 16;

    private SequenceNumbers() {
    }

    /** Signed distance from {@code older} to {@code newer} in [−32768, 32767]: 1 means newer is the next packet. */
    public static int difference(int newer, int older) {
        return (short) (newer - older);
    }

    /** Orders two sequence numbers by wrap-around distance (negative when a precedes b). */
    public static int compare(int a, int b) {
        return Integer.signum(difference(a, b));
    }

    /** True if {@code a} comes after {@code b}. */
    public static boolean isNewer(int a, int b) {
        return difference(a, b) > 0;
    }

    /** The sequence number following {@code seq}. */
    public static int next(int seq) {
        return (seq + 1) & (MODULUS - 1);
    }

    /**
     * The extended (64-bit, never wrapping) sequence number whose low 16 bits are {@code seq} and which lies nearest
     * to {@code reference}, an extended number already seen (RFC 3550 Appendix A.1 keeps the cycles count apart; this
     * folds it in): 0 after 65535 extends to one more than 65535's extension.
     */
    public static long extend(int seq, long reference) {
        return reference + difference(seq, (int) (reference & (MODULUS - 1)));
    }
}
