package gateway.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDP the gateway sends (RFC 4566) without its o= numbers: one audio stream at {@code host:rtpPort}, every
 * other m= line of the session refused with port 0. Equal values render equal bytes, which is how
 * {@link SdpOrigin} knows when the session version must move.
 *
 * @param lines            the session's m= lines in order; the one at {@code audioIndex} is ours
 * @param formats          the audio formats in preference order
 * @param telephoneEventPt RFC 4733 telephone-event payload type, -1 for none
 * @param direction        our direction attribute
 * @param ptimeMs          the packet time we send (a=ptime)
 * @param rtcpMux          RTCP on the RTP port (a=rtcp-mux, RFC 5761): in an answer when the offer had it
 * @param comfortNoise     comfort noise, payload type 13 (RFC 3389), in an answer when the offer had it
 * @param crypto           our a=crypto lines (RFC 4568): one in an answer, one per suite in an offer; empty for plain
 */
record LocalSdp(String host, int rtpPort, List<MediaLine> lines, int audioIndex, List<RtpFormat> formats,
                int telephoneEventPt, MediaDirection direction, int ptimeMs, boolean rtcpMux, boolean comfortNoise,
                List<CryptoAttribute> crypto) {

    /** The telephone-event payload type we offer when the session has none yet (the common choice, RFC 4733). */
    static final int OFFERED_TELEPHONE_EVENT_PT = 101;
    /** Dynamic payload types (RFC 3551 §6) to fall back on when 101 is taken by a codec. */
    private static final int FIRST_DYNAMIC_PT = 96;
    private static final int LAST_DYNAMIC_PT = 127;
    LocalSdp {
        lines = List.copyOf(lines);
        formats = List.copyOf(formats);
        crypto = List.copyOf(crypto);
    }

    /**
     * Our answer to an accepted offer (RFC 3264 §6.1): its chosen codec, telephone-event and comfort noise, our
     * direction, the packet time we send, rtcp-mux when offered (RFC 5761 §5.1.1), and for SRTP one a=crypto line
     * with our key under the accepted tag and suite (RFC 4568 §5.1.2).
     */
    static LocalSdp answer(SdpNegotiator.Accepted accepted, String host, int rtpPort) {
        NegotiatedMedia media = accepted.media();
        return new LocalSdp(host, rtpPort, accepted.lines(), accepted.audioIndex(),
                List.of(new RtpFormat(media.payloadType(), media.codec())), media.telephoneEventPt(),
                media.direction(), media.ptimeMs(), media.rtcpMux(), media.comfortNoise(), ours(media.crypto()));
    }

    /** Our plain-RTP offer when the session has no media yet, in the default codec order. */
    static LocalSdp initialOffer(String host, int rtpPort) {
        return initialOffer(host, rtpPort, SdesPolicy.OFF, AudioCodec.DEFAULT_ORDER);
    }

    /** Our offer when the session has no media yet, following {@code sdes}, in the default codec order. */
    static LocalSdp initialOffer(String host, int rtpPort, SdesPolicy sdes) {
        return initialOffer(host, rtpPort, sdes, AudioCodec.DEFAULT_ORDER);
    }

    /**
     * Our offer when the session has no media yet (RFC 3264 §5): {@code codecs} in order on their static payload
     * types (G722 9, PCMU 0, PCMA 8 by default), telephone-event 101, sendrecv; with
     * SRTP allowed, a fresh key per suite (RFC 4568 §5.1.1), over RTP/SAVP when SRTP is required, else over RTP/AVP
     * as best-effort SRTP (RFC 8643) that a plain answer may decline.
     */
    static LocalSdp initialOffer(String host, int rtpPort, SdesPolicy sdes, List<AudioCodec> codecs) {
        boolean secure = sdes.acceptsCrypto();
        String profile = secure && sdes.requiresCrypto() ? RemoteSdp.SECURE_PROFILE : RemoteSdp.PLAIN_PROFILE;
        List<CryptoAttribute> crypto = new ArrayList<>(2);
        if (secure) {
            for (CryptoSuite suite : CryptoSuite.values()) {
                crypto.add(new CryptoAttribute(crypto.size() + 1, suite, sdes.keys().get()));
            }
        }
        return offer(host, rtpPort, List.of(new MediaLine("audio", profile, "0")), 0, null, codecs)
                .withCrypto(crypto);
    }

    /** Our a=crypto line for media whose keys are settled, none for plain media. */
    private static List<CryptoAttribute> ours(MediaCrypto crypto) {
        return crypto == null ? List.of()
                : List.of(new CryptoAttribute(crypto.tag(), crypto.suite(), crypto.localKeyShared()));
    }

    private LocalSdp withCrypto(List<CryptoAttribute> lines) {
        return new LocalSdp(host, rtpPort, this.lines, audioIndex, formats, telephoneEventPt, direction, ptimeMs,
                rtcpMux, comfortNoise, lines);
    }

    /**
     * Our offer in a session (RFC 3264 §8): the same m= lines, the codec in use first under its payload type (§8.3.2
     * keeps dynamic mappings), then the others of {@code codecs}, telephone-event, sendrecv; the packet time in use,
     * rtcp-mux when it is in use (RFC 5761 §5.1.3), and the keys in use (RFC 4568 §7.1.4 lets a session keep them).
     */
    static LocalSdp offer(String host, int rtpPort, List<MediaLine> lines, int audioIndex, NegotiatedMedia current,
                          List<AudioCodec> codecs) {
        List<RtpFormat> formats = new ArrayList<>(AudioCodec.values().length);
        if (current != null) {
            formats.add(new RtpFormat(current.payloadType(), current.codec()));
        }
        for (AudioCodec codec : codecs) {
            boolean listed = formats.stream()
                    .anyMatch(f -> f.codec() == codec || f.payloadType() == codec.staticPayloadType());
            if (!listed) {
                formats.add(new RtpFormat(codec.staticPayloadType(), codec));
            }
        }
        int telephoneEvent = current != null && current.telephoneEventPt() >= 0 ? current.telephoneEventPt()
                : freePayloadType(formats);
        return new LocalSdp(host, rtpPort, lines, audioIndex, formats, telephoneEvent, MediaDirection.SENDRECV,
                current == null ? NegotiatedMedia.DEFAULT_PTIME_MS : current.ptimeMs(),
                current != null && current.rtcpMux(), false, current == null ? List.of() : ours(current.crypto()));
    }

    private static int freePayloadType(List<RtpFormat> formats) {
        if (formats.stream().noneMatch(f -> f.payloadType() == OFFERED_TELEPHONE_EVENT_PT)) {
            return OFFERED_TELEPHONE_EVENT_PT;
        }
        for (int pt = FIRST_DYNAMIC_PT; pt <= LAST_DYNAMIC_PT; pt++) {
            int candidate = pt;
            if (formats.stream().noneMatch(f -> f.payloadType() == candidate)) {
                return pt;
            }
        }
        return -1;
    }

    /** The SDP text with {@code sessionId} and {@code version} in o= (RFC 4566 §5.2). */
    String render(long sessionId, long version) {
        String addressType = host.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder(320);
        sdp.append("v=0\r\n");
        sdp.append("o=gateway ").append(sessionId).append(' ').append(version).append(" IN ").append(addressType)
                .append(' ').append(host).append("\r\n");
        sdp.append("s=gateway\r\n");
        sdp.append("c=IN ").append(addressType).append(' ').append(host).append("\r\n");
        sdp.append("t=0 0\r\n");
        for (int i = 0; i < lines.size(); i++) {
            MediaLine line = lines.get(i);
            if (i != audioIndex) {
                // RFC 3264 §6, §8: a refused stream keeps its place with port 0.
                sdp.append("m=").append(line.mediaType()).append(" 0 ").append(line.protocol()).append(' ')
                        .append(line.firstFormat()).append("\r\n");
                continue;
            }
            appendAudio(sdp);
        }
        return sdp.toString();
    }

    private void appendAudio(StringBuilder sdp) {
        sdp.append("m=audio ").append(rtpPort).append(' ').append(lines.get(audioIndex).protocol());
        for (RtpFormat format : formats) {
            sdp.append(' ').append(format.payloadType());
        }
        if (telephoneEventPt >= 0) {
            sdp.append(' ').append(telephoneEventPt);
        }
        if (comfortNoise) {
            sdp.append(' ').append(RemoteSdp.COMFORT_NOISE_PT);
        }
        sdp.append("\r\n");
        for (RtpFormat format : formats) {
            sdp.append("a=rtpmap:").append(format.payloadType()).append(' ').append(format.codec().encodingName())
                    .append('/').append(AudioCodec.CLOCK_RATE).append("\r\n");
        }
        if (telephoneEventPt >= 0) {
            sdp.append("a=rtpmap:").append(telephoneEventPt).append(" telephone-event/").append(AudioCodec.CLOCK_RATE)
                    .append("\r\n");
            sdp.append("a=fmtp:").append(telephoneEventPt).append(" 0-15\r\n");
        }
        if (comfortNoise) {
            sdp.append("a=rtpmap:").append(RemoteSdp.COMFORT_NOISE_PT).append(" CN/").append(AudioCodec.CLOCK_RATE)
                    .append("\r\n");
        }
        sdp.append("a=ptime:").append(ptimeMs).append("\r\n");
        if (rtcpMux) {
            sdp.append("a=rtcp-mux\r\n");
        }
        sdp.append("a=").append(direction.attribute()).append("\r\n");
        for (CryptoAttribute line : crypto) {
            sdp.append("a=crypto:").append(line.format()).append("\r\n");
        }
    }
}
