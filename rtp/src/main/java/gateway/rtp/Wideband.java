package gateway.rtp;

/** The wideband codecs: G.722 at 64 kbit/s (RFC 3551 §4.5.2: payload type 9, RTP clock 8000, sampled at 16 kHz). */
public enum Wideband implements RtpCodec {
    G722;

    @Override
    public int payloadType() {
        return 9;
    }

    @Override
    public String encodingName() {
        return "G722";
    }

    @Override
    public int sampleRate() {
        return 16_000;
    }
}
