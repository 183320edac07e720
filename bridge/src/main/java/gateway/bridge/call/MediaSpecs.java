package gateway.bridge.call;

import gateway.rtp.G711;
import gateway.rtp.RtpCodec;
import gateway.rtp.RtpStreamSpec;
import gateway.rtp.SrtpKeys;
import gateway.rtp.SrtpMasterKey;
import gateway.rtp.SrtpSuite;
import gateway.sip.MediaCrypto;
import gateway.sip.NegotiatedMedia;
import java.net.InetSocketAddress;

/** Turns what SIP negotiated into what the RTP session sends and accepts. */
final class MediaSpecs {

    /** The telephone-event payload type of our own offer (a late offer). */
    static final int OFFERED_TELEPHONE_EVENT_PT = 101;

    private MediaSpecs() {
    }

    static RtpStreamSpec of(NegotiatedMedia media) {
        return new RtpStreamSpec(RtpCodec.named(media.codec().name()), media.payloadType(), media.telephoneEventPt(),
                media.direction().sends(), media.direction().receives(), media.remoteRtp(), media.ptimeMs(),
                media.rtcpMux(), media.remoteRtcp(), srtp(media.crypto()));
    }

    /** The SRTP keys SDES settled on, for the RTP session; null for plain RTP. */
    static SrtpKeys srtp(MediaCrypto crypto) {
        if (crypto == null) {
            return null;
        }
        SrtpSuite suite = SrtpSuite.valueOf(crypto.suite().name());
        return new SrtpKeys(SrtpMasterKey.of(suite, crypto.remoteKey()), SrtpMasterKey.of(suite, crypto.localKey()));
    }

    /** A transport address as call.json writes it: {@code ip:port}, {@code [v6]:port}; null for none. */
    static String address(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** For the log: codec, payload type, packet time, direction, address, rtcp-mux and SRTP suite (never a key). */
    static String describe(NegotiatedMedia media) {
        return media.codec() + "/" + media.payloadType() + " " + media.ptimeMs() + " ms "
                + media.direction().attribute() + " to " + media.remoteRtp() + (media.rtcpMux() ? " rtcp-mux" : "")
                + (media.secure() ? " SRTP " + media.crypto().suite() : "");
    }

    /**
     * The stream while our own offer (an INVITE without SDP) waits for the caller's answer in the ACK: listen for
     * PCMU, the first codec we offer, and send nothing (RFC 3264 §5.1: the offerer must be ready to receive).
     */
    static RtpStreamSpec awaitingAnswer() {
        return new RtpStreamSpec(G711.PCMU, G711.PCMU.payloadType(), OFFERED_TELEPHONE_EVENT_PT, false, true, null);
    }
}
