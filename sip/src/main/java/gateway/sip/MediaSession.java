package gateway.sip;

import java.util.List;
import java.util.Optional;

/**
 * The offer/answer state of one dialog (RFC 3264; RFC 3311 §5.2): the media in force, the m= lines of the session,
 * our SDP's origin, and whether an offer is outstanding either way. Used on the SIP event loop only.
 */
final class MediaSession {

    /** An offer/answer exchange that went through. */
    sealed interface Outcome permits Settled, Failed {
    }

    /**
     * The exchange settled on {@code media}; {@code changed} when it differs from the media before;
     * {@code localSdp} is our SDP for the response (null when we took an answer).
     */
    record Settled(NegotiatedMedia media, boolean changed, String localSdp) implements Outcome {
    }

    /** The exchange failed; the media in force did not change. */
    record Failed(String reason) implements Outcome {
    }

    private enum Pending { NONE, OFFER_RECEIVED, OFFER_SENT }

    private final SdpOrigin origin;
    private final SdesPolicy sdes;
    /** Our codecs in preference order ({@code rtp.codecs}). */
    private final List<AudioCodec> codecs;
    private final SdpNegotiator.Accepted initialOffer;
    private NegotiatedMedia current;
    private List<MediaLine> lines = List.of();
    private int audioIndex;
    private String host;
    private int rtpPort;
    private Pending pending;
    private LocalSdp sentOffer;

    /** A plain-RTP session started by an INVITE with the negotiated offer {@code initialOffer}, or null. */
    MediaSession(SdpNegotiator.Accepted initialOffer, long sessionId) {
        this(initialOffer, sessionId, SdesPolicy.OFF, AudioCodec.DEFAULT_ORDER);
    }

    /** A session following {@code sdes}, with the default codec order. */
    MediaSession(SdpNegotiator.Accepted initialOffer, long sessionId, SdesPolicy sdes) {
        this(initialOffer, sessionId, sdes, AudioCodec.DEFAULT_ORDER);
    }

    /**
     * A session started by an INVITE with the negotiated offer {@code initialOffer}, or null for a late offer, whose
     * later offers and answers follow {@code sdes} and {@code codecs} (our preference order).
     */
    MediaSession(SdpNegotiator.Accepted initialOffer, long sessionId, SdesPolicy sdes, List<AudioCodec> codecs) {
        this.origin = new SdpOrigin(sessionId);
        this.sdes = sdes;
        this.codecs = List.copyOf(codecs);
        this.initialOffer = initialOffer;
        this.pending = initialOffer != null ? Pending.OFFER_RECEIVED : Pending.NONE;
    }

    /** The media the INVITE offered, empty for a late offer. */
    Optional<NegotiatedMedia> initialOffer() {
        return Optional.ofNullable(initialOffer).map(SdpNegotiator.Accepted::media);
    }

    /** True while an offer we sent waits for its answer. */
    boolean offerSent() {
        return pending == Pending.OFFER_SENT;
    }

    /** True while an offer we received waits for our answer. */
    boolean offerReceived() {
        return pending == Pending.OFFER_RECEIVED;
    }

    /** True once we know our RTP address (from the answer to the initial INVITE). */
    boolean hasLocalAddress() {
        return host != null;
    }

    /**
     * Our SDP for the 2xx to the initial INVITE with RTP at {@code host:rtpPort}: the answer to its offer, or our
     * offer for a late offer (RFC 3261 §13.2.1).
     */
    String firstSdp(String host, int rtpPort) {
        this.host = host;
        this.rtpPort = rtpPort;
        if (initialOffer == null) {
            return offer(LocalSdp.initialOffer(host, rtpPort, sdes, codecs));
        }
        pending = Pending.NONE;
        adopt(initialOffer);
        return origin.render(LocalSdp.answer(initialOffer, host, rtpPort));
    }

    /** Answers an offer from a re-INVITE or UPDATE at once; on failure nothing changes (RFC 3261 §14.2). */
    Outcome answer(String offerSdp) {
        SdpNegotiator.Result result = SdpNegotiator.answer(offerSdp, current == null ? null : current.codec(), sdes,
                current == null ? null : current.crypto(), codecs);
        if (result instanceof SdpNegotiator.Rejected rejected) {
            return new Failed(rejected.reason());
        }
        SdpNegotiator.Accepted accepted = (SdpNegotiator.Accepted) result;
        boolean changed = !accepted.media().equals(current);
        adopt(accepted);
        return new Settled(accepted.media(), changed, origin.render(LocalSdp.answer(accepted, host, rtpPort)));
    }

    /** Our offer for a re-INVITE that carried none (RFC 3261 §14.2): the session's lines, the codec in use first. */
    String offer() {
        return offer(lines.isEmpty() ? LocalSdp.initialOffer(host, rtpPort, sdes, codecs)
                : LocalSdp.offer(host, rtpPort, lines, audioIndex, current, codecs));
    }

    private String offer(LocalSdp sdp) {
        pending = Pending.OFFER_SENT;
        sentOffer = sdp;
        return origin.render(sdp);
    }

    /** Takes the answer to our outstanding offer, null when none came; either way the offer is no longer pending. */
    Outcome takeAnswer(String answerSdp) {
        LocalSdp offer = sentOffer;
        pending = Pending.NONE;
        sentOffer = null;
        if (answerSdp == null) {
            return new Failed("No SDP answer to our offer");
        }
        SdpNegotiator.Result result = SdpNegotiator.takeAnswer(answerSdp, offer);
        if (result instanceof SdpNegotiator.Rejected rejected) {
            return new Failed(rejected.reason());
        }
        SdpNegotiator.Accepted accepted = (SdpNegotiator.Accepted) result;
        boolean changed = !accepted.media().equals(current);
        adopt(accepted);
        return new Settled(accepted.media(), changed, null);
    }

    /** Our offer will get no answer (its 2xx was never ACKed). */
    void dropOffer() {
        if (pending == Pending.OFFER_SENT) {
            pending = Pending.NONE;
            sentOffer = null;
        }
    }

    private void adopt(SdpNegotiator.Accepted accepted) {
        current = accepted.media();
        lines = accepted.lines();
        audioIndex = accepted.audioIndex();
    }
}
