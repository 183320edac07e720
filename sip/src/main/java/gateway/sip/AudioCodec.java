package gateway.sip;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The audio codecs the gateway negotiates: G.711 at 8 kHz (RFC 3551 §4.5.14) and G.722 at 16 kHz (§4.5.2), table 4.
 */
public enum AudioCodec {
    PCMU(0),
    PCMA(8),
    G722(9);

    /** The RTP clock rate of all three in SDP (RFC 3551 table 4; G.722's is 8000 although it samples at 16 kHz). */
    public static final int CLOCK_RATE = 8000;
    /** The default preference order ({@code rtp.codecs}): wideband first, then the G.711 pair. */
    public static final List<AudioCodec> DEFAULT_ORDER = List.of(G722, PCMU, PCMA);

    private final int staticPayloadType;

    AudioCodec(int staticPayloadType) {
        this.staticPayloadType = staticPayloadType;
    }

    /** The payload type RFC 3551 assigns; an offer may map the codec to a dynamic one instead (96-127). */
    public int staticPayloadType() {
        return staticPayloadType;
    }

    /** The encoding name as written in a=rtpmap. */
    public String encodingName() {
        return name();
    }

    /** The codec of an rtpmap encoding name (case-insensitive, RFC 4566 §6), if it is one of ours. */
    public static Optional<AudioCodec> byEncodingName(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (AudioCodec codec : values()) {
            if (codec.name().equals(upper)) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    /** The codec RFC 3551 assigns to a static payload type, if it is one of ours. */
    public static Optional<AudioCodec> byStaticPayloadType(int payloadType) {
        for (AudioCodec codec : values()) {
            if (codec.staticPayloadType == payloadType) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }
}
