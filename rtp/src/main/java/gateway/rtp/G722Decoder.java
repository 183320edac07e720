package gateway.rtp;

/**
 * ITU-T G.722 sub-band ADPCM decoder at 64 kbit/s (mode 1): each octet gives one lower-band sample from its 6-bit
 * code (§4.2) and one higher-band sample from its 2-bit code (§4.3), joined by the receive QMF into two 16 kHz
 * samples. The predictors adapt on the 4-bit truncated lower code, as the encoder's do, so they stay in step
 * whatever the mode. Also home of the band updates both sides share. One per stream; allocation-free; not
 * thread-safe.
 */
public final class G722Decoder {

    /** Output levels of the 6-bit lower-band inverse quantiser by code, ×32768 of the scale factor (table 13). */
    private static final int[] QM6 = {
        -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360,
        -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
        -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192,
        6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432,
        -136,
    };
    /** Output levels of the 4-bit inverse quantiser the predictor adapts on, by the code's top 4 bits (table 14). */
    private static final int[] QM4 = {
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    };
    /** Log scale factor steps of the lower band by magnitude class of the 4-bit code (§3.5.2, table 15). */
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    /** Output levels of the 2-bit higher-band inverse quantiser by code (table 9). */
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    /** Log scale factor steps of the higher band by code (table 16). */
    private static final int[] WH2 = {798, -214, 798, -214};

    private final G722State state = new G722State();

    /** Back to the reset state (§6.1), as at the start of a stream. */
    public void reset() {
        state.reset();
    }

    /** Decodes {@code octets} octets of {@code codes} from {@code off} into twice as many 16 kHz samples. */
    public int decode(byte[] codes, int off, int octets, short[] out, int outOff) {
        for (int i = 0; i < octets; i++) {
            int octet = codes[off + i] & 0xFF;
            int low = octet & 0x3F;
            int high = octet >> 6;
            G722Band lower = state.lower;
            int rl = lower.reconstruct(lower.dequantize(QM6[low]));
            updateLower(lower, low);
            G722Band higher = state.higher;
            int rh = higher.reconstruct(higher.dequantize(QM2[high]));
            updateHigher(higher, high);
            state.qmf.join(rl, rh, out, outOff + 2 * i);
        }
        return 2 * octets;
    }

    /** Adapts the lower band after its 6-bit {@code code}: on the 4-bit truncation (§3.3, §3.5). */
    static void updateLower(G722Band band, int code) {
        int ril = code >> 2;
        band.update(WL[RL42[ril]], band.dequantize(QM4[ril]));
    }

    /** Adapts the higher band after its 2-bit {@code code}. */
    static void updateHigher(G722Band band, int code) {
        band.update(WH2[code], band.dequantize(QM2[code]));
    }
}
