package gateway.bridge.call;

import gateway.rtp.G711;
import gateway.rtp.RtpStreamSpec;
import gateway.sip.NegotiatedMedia;

/** Turns what SIP negotiated into what the RTP session sends and accepts. */
final class MediaSpecs {

    /** The telephone-event payload type of our own offer (a late offer). */
    static final int OFFERED_TELEPHONE_EVENT_PT = 101;

    private MediaSpecs() {
    }

    static RtpStreamSpec of(NegotiatedMedia media) {
        return new RtpStreamSpec(G711.valueOf(media.codec().name()), media.payloadType(), media.telephoneEventPt(),
                media.direction().sends(), media.direction().receives(), media.remoteRtp(), media.ptimeMs(),
                media.rtcpMux(), media.remoteRtcp());
    }

    /** For the log: codec, payload type, packet time, direction and address. */
    static String describe(NegotiatedMedia media) {
        return media.codec() + "/" + media.payloadType() + " " + media.ptimeMs() + " ms "
                + media.direction().attribute() + " to " + media.remoteRtp() + (media.rtcpMux() ? " rtcp-mux" : "");
    }

    /**
     * The stream while our own offer (an INVITE without SDP) waits for the caller's answer in the ACK: listen for
     * PCMU, the first codec we offer, and send nothing (RFC 3264 §5.1: the offerer must be ready to receive).
     */
    static RtpStreamSpec awaitingAnswer() {
        return new RtpStreamSpec(G711.PCMU, G711.PCMU.payloadType(), OFFERED_TELEPHONE_EVENT_PT, false, true, null);
    }
}
