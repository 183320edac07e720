package gateway.rtp;

/**
 * ITU-T G.711 companding (RFC 3551 §4.5.14: payload types 0 and 8), table driven: decoding is one lookup in a
 * 256-entry table, encoding finds the segment with a leading-zero count and shifts; nothing is allocated per call.
 * Stateless and thread-safe.
 */
public enum G711 implements RtpCodec {
    /** μ-law, RFC 3551 static payload type 0. */
    PCMU(0, "PCMU") {
        @Override
        public byte encode(short pcm) {
            return ulawEncode(pcm);
        }
    },
    /** A-law, RFC 3551 static payload type 8. */
    PCMA(8, "PCMA") {
        @Override
        public byte encode(short pcm) {
            return alawEncode(pcm);
        }
    };

    /** μ-law bias added before the segment is found (G.711 table 2a, scaled to 16 bits). */
    private static final int ULAW_BIAS = 0x84;
    /** Largest magnitude μ-law can represent once the bias is added without overflowing segment 7. */
    private static final int ULAW_CLIP = 32635;
    /** A-law bits inverted on the wire (even bits, G.711 §A.2). */
    private static final int ALAW_EVEN_BIT_MASK = 0x55;

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    /** The code for a zero sample in each law: digital silence. */
    private static final byte ULAW_SILENCE = ulawEncode((short) 0);
    private static final byte ALAW_SILENCE = alawEncode((short) 0);

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = ulawDecodeFormula(i);
            ALAW_DECODE[i] = alawDecodeFormula(i);
        }
    }

    private final int payloadType;
    private final String encodingName;

    G711(int payloadType, String encodingName) {
        this.payloadType = payloadType;
        this.encodingName = encodingName;
    }

    @Override
    public int payloadType() {
        return payloadType;
    }

    @Override
    public String encodingName() {
        return encodingName;
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    /** Expands one code word to a 16-bit linear sample. */
    public short decode(byte code) {
        return (this == PCMU ? ULAW_DECODE : ALAW_DECODE)[code & 0xFF];
    }

    /** Compresses one 16-bit linear sample to a code word. */
    public abstract byte encode(short pcm);

    /** The code word for a zero sample: every octet of a silent payload (0xFF in μ-law, 0xD5 in A-law). */
    public byte silence() {
        return this == PCMU ? ULAW_SILENCE : ALAW_SILENCE;
    }

    /**
     * The codec of a static payload type (RFC 3551 table 4), or null if it is not G.711. Not for negotiated numbers:
     * those come with their codec from a=rtpmap (see {@link RtpStreamSpec}).
     */
    public static G711 forPayloadType(int pt) {
        if (pt == PCMU.payloadType) {
            return PCMU;
        }
        if (pt == PCMA.payloadType) {
            return PCMA;
        }
        return null;
    }

    /**
     * μ-law expansion: code bits are inverted;
     * value = ((mantissa·2 + 33)·2^segment − 33) in 14-bit units, G.711 table 2a.
     */
    private static short ulawDecodeFormula(int code) {
        int u = ~code & 0xFF;
        int segment = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + ULAW_BIAS) << segment) - ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    /** A-law expansion, G.711 table 1a: even bits inverted, segment 0 is linear, sign bit set means positive. */
    private static short alawDecodeFormula(int code) {
        int a = code ^ ALAW_EVEN_BIT_MASK;
        int segment = (a >> 4) & 0x07;
        int magnitude = ((a & 0x0F) << 4) + 8;
        if (segment != 0) {
            magnitude = (magnitude + 0x100) << (segment - 1);
        }
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    /** Index of the highest set bit (an intrinsic), −1 for 0. */
    private static int highestBit(int value) {
        return 31 - Integer.numberOfLeadingZeros(value);
    }

    private static byte ulawEncode(short pcm) {
        int sample = pcm;
        int sign = 0;
        if (sample < 0) {
            sign = 0x80;
            sample = -sample;
        }
        if (sample > ULAW_CLIP) {
            sample = ULAW_CLIP;
        }
        sample += ULAW_BIAS;
        int segment = highestBit(sample >> 7);
        int mantissa = (sample >> (segment + 3)) & 0x0F;
        return (byte) ~(sign | (segment << 4) | mantissa);
    }

    private static byte alawEncode(short pcm) {
        int sample = pcm >> 3;
        int mask;
        if (sample >= 0) {
            mask = 0xD5;
        } else {
            mask = ALAW_EVEN_BIT_MASK;
            sample = -sample - 1;
        }
        int segment = Math.max(0, highestBit(sample >> 4));
        int code = (segment << 4) | ((segment < 2 ? sample >> 1 : sample >> segment) & 0x0F);
        return (byte) (code ^ mask);
    }
}
