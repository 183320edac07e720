package gateway.sip;

import java.net.InetSocketAddress;

/**
 * The audio stream negotiated from an SDP offer (RFC 3264).
 *
 * @param codec            "PCMU" or "PCMA"
 * @param payloadType      RTP payload type of the codec as offered (0 or 8 when static)
 * @param telephoneEventPt payload type of RFC 4733 telephone-event, -1 if not offered
 * @param remoteRtp        where to send RTP (connection address + media port of the offer)
 * @param ptimeMs          packet time the offer asked for (a=ptime), 20 when absent
 */
public record MediaOffer(String codec, int payloadType, int telephoneEventPt, InetSocketAddress remoteRtp, int ptimeMs) {
}
