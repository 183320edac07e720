package gateway.rtp;

import gateway.time.CallTimeline;

/**
 * An audio codec an RTP stream can carry: G.711 (8 kHz) or G.722 (16 kHz). Every codec here puts one octet on the
 * wire per RTP timestamp unit of the 8 kHz clock (G.711: one sample; G.722 at 64 kbit/s: two samples, RFC 3551
 * §4.5.2), so payload lengths and timestamps mean the same whatever the codec; only the sample rate differs.
 */
public sealed interface RtpCodec permits G711, Wideband {

    /** RTP payload type number (RFC 3551 table 4). */
    int payloadType();

    /** Encoding name as written in SDP a=rtpmap. */
    String encodingName();

    /** Audio samples per second: 8000 for G.711, 16000 for G.722 (whose RTP clock still runs at 8000). */
    int sampleRate();

    /** Audio samples per octet on the wire (and per RTP timestamp unit): 1 or 2. */
    default int samplesPerOctet() {
        return sampleRate() / CallTimeline.RTP_CLOCK_RATE;
    }

    /** The codec of an encoding name as {@code AudioCodec} in SIP spells it (PCMU, PCMA, G722). */
    static RtpCodec named(String name) {
        return name.equals(Wideband.G722.name()) ? Wideband.G722 : G711.valueOf(name);
    }
}
