package gateway.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * Offer/answer decisions on audio (RFC 3264): which stream and G.711 codec to take from an offer, and what an answer
 * to our offer settled. Pure: no I/O, no state.
 */
final class SdpNegotiator {

    private SdpNegotiator() {
    }

    /** The outcome of an offer or answer. */
    sealed interface Result permits Accepted, Rejected {
    }

    /**
     * Acceptable: {@code media} from our side; {@code lines} are the session's m= lines in order and
     * {@code audioIndex} the one carrying audio (all others are refused with port 0).
     */
    record Accepted(NegotiatedMedia media, List<MediaLine> lines, int audioIndex) implements Result {
    }

    /** Not acceptable; {@code reason} says why (for logs and callbacks). */
    record Rejected(String reason) implements Result {
    }

    /** Answers the offer {@code sdp}; see {@link #answer(RemoteSdp, AudioCodec)}. */
    static Result answer(String sdp, AudioCodec preferred) {
        try {
            return answer(RemoteSdp.parse(sdp), preferred);
        } catch (SdpParseException e) {
            return new Rejected(e.getMessage());
        }
    }

    /**
     * Answers an offer (RFC 3264 §6.1): the first RTP/AVP audio stream with a G.711 format and an IP address is
     * taken, with {@code preferred} (the codec in use, null for none) when it is offered, else the first G.711 in
     * offer order, under the offer's payload type; telephone-event is kept when offered (RFC 4733 §7.1.1). Our
     * direction is the answer to the remote's (§6.1), a null address counting as not receiving (§8.4).
     */
    static Result answer(RemoteSdp offer, AudioCodec preferred) {
        List<MediaLine> lines = new ArrayList<>(offer.streams().size());
        int audioIndex = -1;
        NegotiatedMedia media = null;
        String reason = "No PCMU/PCMA audio stream";
        for (RemoteSdp.Stream stream : offer.streams()) {
            lines.add(stream.line());
            if (media != null || !stream.isRtpAudio() || stream.port() <= 0) {
                continue;
            }
            List<RtpFormat> g711 = stream.g711Formats();
            if (g711.isEmpty()) {
                continue;
            }
            if (stream.address() == null) {
                reason = "No usable c= address for the audio stream";
                continue;
            }
            RtpFormat format = g711.stream().filter(f -> f.codec() == preferred).findFirst().orElse(g711.get(0));
            media = media(stream, format);
            audioIndex = lines.size() - 1;
        }
        return media == null ? new Rejected(reason) : new Accepted(media, List.copyOf(lines), audioIndex);
    }

    /** Takes the answer {@code sdp} to our offer; see {@link #takeAnswer(RemoteSdp, LocalSdp)}. */
    static Result takeAnswer(String sdp, LocalSdp offer) {
        try {
            return takeAnswer(RemoteSdp.parse(sdp), offer);
        } catch (SdpParseException e) {
            return new Rejected(e.getMessage());
        }
    }

    /**
     * Takes an answer to our offer (RFC 3264 §6, §7): same number of m= lines, our audio line accepted (port not 0)
     * with an IP address and a codec we offered; the first such format in the answer's order is used.
     */
    static Result takeAnswer(RemoteSdp answer, LocalSdp offer) {
        if (answer.streams().size() != offer.lines().size()) {
            return new Rejected(
                    "Answer has " + answer.streams().size() + " m= lines, our offer " + offer.lines().size());
        }
        RemoteSdp.Stream stream = answer.streams().get(offer.audioIndex());
        if (!stream.isRtpAudio() || stream.port() <= 0) {
            return new Rejected("Audio stream refused in the answer");
        }
        if (stream.address() == null) {
            return new Rejected("No usable c= address in the answer");
        }
        for (RtpFormat format : stream.g711Formats()) {
            if (offer.formats().stream().anyMatch(offered -> offered.codec() == format.codec())) {
                return new Accepted(media(stream, format), offer.lines(), offer.audioIndex());
            }
        }
        return new Rejected("Answer has none of our codecs");
    }

    /**
     * The media {@code format} of {@code stream} gives: its telephone-event, the packet time we send (its ptime and
     * maxptime, {@link NegotiatedMedia#sendPtime}), rtcp-mux and a=rtcp (RFC 5761, RFC 3605), comfort noise.
     */
    private static NegotiatedMedia media(RemoteSdp.Stream stream, RtpFormat format) {
        int telephoneEvent = stream.telephoneEventPt();
        return new NegotiatedMedia(format.codec(), format.payloadType(),
                telephoneEvent == format.payloadType() ? -1 : telephoneEvent,
                NegotiatedMedia.sendPtime(stream.ptimeMs(), stream.maxPtimeMs()),
                stream.effectiveDirection().answer(), stream.rtpTarget(), stream.rtcpMux(), stream.rtcp(),
                stream.comfortNoise() && format.payloadType() != RemoteSdp.COMFORT_NOISE_PT);
    }
}
