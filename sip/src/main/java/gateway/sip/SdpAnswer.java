package gateway.sip;

import java.util.List;

/** Builds our SDP answer (RFC 3264 §6.1, RFC 4566): one audio stream with the chosen G.711 codec, others refused. */
final class SdpAnswer {

    /** Packet time we send (RFC 3551 §4.5 default for G.711). */
    static final int ANSWER_PTIME_MS = 20;

    private SdpAnswer() {
    }

    /**
     * Answer text for {@code offer} with our media at {@code host:rtpPort}; {@code sessionId} goes into o= as both
     * the session id and version.
     */
    static String build(SdpNegotiator.Accepted offer, String host, int rtpPort, long sessionId) {
        String addressType = host.indexOf(':') >= 0 ? "IP6" : "IP4";
        MediaOffer media = offer.media();
        StringBuilder sdp = new StringBuilder(256);
        sdp.append("v=0\r\n");
        sdp.append("o=gateway ").append(sessionId).append(' ').append(sessionId).append(" IN ").append(addressType).append(' ').append(host).append("\r\n");
        sdp.append("s=gateway\r\n");
        sdp.append("c=IN ").append(addressType).append(' ').append(host).append("\r\n");
        sdp.append("t=0 0\r\n");
        List<SdpNegotiator.OfferedStream> streams = offer.streams();
        for (int i = 0; i < streams.size(); i++) {
            SdpNegotiator.OfferedStream stream = streams.get(i);
            if (i != offer.audioIndex()) {
                // RFC 3264 §6: a refused stream keeps its place with port 0.
                sdp.append("m=").append(stream.mediaType()).append(" 0 ").append(stream.protocol()).append(' ').append(stream.firstFormat()).append("\r\n");
                continue;
            }
            sdp.append("m=audio ").append(rtpPort).append(" RTP/AVP ").append(media.payloadType());
            if (media.telephoneEventPt() >= 0) {
                sdp.append(' ').append(media.telephoneEventPt());
            }
            sdp.append("\r\n");
            sdp.append("a=rtpmap:").append(media.payloadType()).append(' ').append(media.codec()).append("/8000\r\n");
            if (media.telephoneEventPt() >= 0) {
                sdp.append("a=rtpmap:").append(media.telephoneEventPt()).append(" telephone-event/8000\r\n");
                sdp.append("a=fmtp:").append(media.telephoneEventPt()).append(" 0-15\r\n");
            }
            sdp.append("a=ptime:").append(ANSWER_PTIME_MS).append("\r\n");
            sdp.append("a=sendrecv\r\n");
        }
        return sdp.toString();
    }
}
