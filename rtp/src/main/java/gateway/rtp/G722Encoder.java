package gateway.rtp;

/**
 * ITU-T G.722 sub-band ADPCM encoder at 64 kbit/s (mode 1): each pair of 16 kHz samples is split by the QMF
 * ({@link G722Qmf}) into one lower-band sample, quantised adaptively to 6 bits (§3.3), and one higher-band sample,
 * quantised to 2 bits (§3.4); the octet carries the higher band's bits on top (RFC 3551 §4.5.2). One per stream;
 * allocation-free; not thread-safe.
 */
public final class G722Encoder {

    /** Decision levels of the 6-bit lower-band quantiser, ×4096 of the scale factor (§3.3, table 6). */
    private static final int[] Q6 = {
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    };
    /** The 6-bit codes of negative and positive differences by quantiser interval (table 6). */
    private static final int[] ILN = {
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
    };
    private static final int[] ILP = {
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
    };
    /** The higher band's single decision level, ×4096 of the scale factor (§3.4, table 8). */
    private static final int Q2 = 564;

    private final G722State state = new G722State();

    /** Back to the reset state (§6.1), as at the start of a stream. */
    public void reset() {
        state.reset();
    }

    /** Encodes {@code samples} (even) 16 kHz samples into {@code samples / 2} octets; returns that count. */
    public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
        int octets = samples / 2;
        for (int i = 0; i < octets; i++) {
            state.qmf.split(pcm[off + 2 * i], pcm[off + 2 * i + 1]);
            int low = encodeLower(state.qmf.lower());
            int high = encodeHigher(state.qmf.higher());
            out[outOff + i] = (byte) (high << 6 | low);
        }
        return octets;
    }

    private int encodeLower(int xl) {
        G722Band band = state.lower;
        int el = G722Band.saturate(xl - band.estimate());
        int magnitude = el >= 0 ? el : ~el;
        int scale = band.scale();
        int interval = 1;
        while (interval < Q6.length && magnitude >= (Q6[interval] * scale) >> 12) {
            interval++;
        }
        int code = el < 0 ? ILN[interval] : ILP[interval];
        G722Decoder.updateLower(band, code);
        return code;
    }

    private int encodeHigher(int xh) {
        G722Band band = state.higher;
        int eh = G722Band.saturate(xh - band.estimate());
        int magnitude = eh >= 0 ? eh : ~eh;
        boolean outer = magnitude >= (Q2 * band.scale()) >> 12;
        int code = eh < 0 ? (outer ? 0 : 1) : (outer ? 2 : 3);
        G722Decoder.updateHigher(band, code);
        return code;
    }
}
