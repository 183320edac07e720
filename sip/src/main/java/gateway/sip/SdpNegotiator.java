package gateway.sip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Offer/answer decisions on audio (RFC 3264): which stream and codec (G.711 or G.722, in our preference order) to
 * take from an offer, and what an answer to our offer settled. Pure: no I/O, no state.
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

    /** Answers the offer {@code sdp} on plain RTP (no SDES). */
    static Result answer(String sdp, AudioCodec preferred) {
        return answer(sdp, preferred, SdesPolicy.OFF, null);
    }

    /** Answers the offer {@code sdp} with the default codec order. */
    static Result answer(String sdp, AudioCodec preferred, SdesPolicy sdes, MediaCrypto current) {
        return answer(sdp, preferred, sdes, current, AudioCodec.DEFAULT_ORDER);
    }

    /** Answers the offer {@code sdp}; see {@link #answer(RemoteSdp, AudioCodec, SdesPolicy, MediaCrypto, List)}. */
    static Result answer(String sdp, AudioCodec preferred, SdesPolicy sdes, MediaCrypto current,
                         List<AudioCodec> codecs) {
        try {
            return answer(RemoteSdp.parse(sdp), preferred, sdes, current, codecs);
        } catch (SdpParseException e) {
            return new Rejected(e.getMessage());
        }
    }

    /**
     * Answers an offer (RFC 3264 §6.1): the first audio stream with a format of {@code codecs} and an IP address that
     * {@code sdes} lets us take is taken, with {@code preferred} (the codec in use, null for none) when it is offered,
     * else the offered codec that comes first in {@code codecs} (our preference order, {@code rtp.codecs}), under
     * the offer's payload type; telephone-event is kept when offered
     * (RFC 4733 §7.1.1). Our direction is the answer to the remote's (§6.1), a null address counting as not
     * receiving (§8.4).
     *
     * <p>SRTP (RFC 4568 §5.1.2): when {@code sdes} accepts keys, the first usable a=crypto line in the offer's order
     * is taken and answered with our key under its tag and suite; our key stays the one of {@code current} while the
     * remote's key and suite stay the same (a refresh), else it is fresh. An RTP/SAVP stream without a usable line,
     * or any stream without one when SRTP is required, is not taken. An RTP/AVP stream with a=crypto (best-effort
     * SRTP, RFC 8643) is answered with SRTP when we may, else plain.
     */
    static Result answer(RemoteSdp offer, AudioCodec preferred, SdesPolicy sdes, MediaCrypto current,
                         List<AudioCodec> codecs) {
        List<MediaLine> lines = new ArrayList<>(offer.streams().size());
        int audioIndex = -1;
        NegotiatedMedia media = null;
        String reason = "No " + String.join("/", codecs.stream().map(AudioCodec::encodingName).toList())
                + " audio stream";
        for (RemoteSdp.Stream stream : offer.streams()) {
            lines.add(stream.line());
            if (media != null || !stream.isRtpAudio() || stream.port() <= 0) {
                continue;
            }
            List<RtpFormat> formats = stream.audioFormats().stream().filter(f -> codecs.contains(f.codec())).toList();
            if (formats.isEmpty()) {
                continue;
            }
            if (stream.address() == null) {
                reason = "No usable c= address for the audio stream";
                continue;
            }
            MediaCrypto crypto = null;
            String cryptoRefusal = "no a=crypto offered";
            if (sdes.acceptsCrypto()) {
                for (String line : stream.crypto()) {
                    CryptoAttribute.Parsed parsed = CryptoAttribute.parse(line);
                    if (parsed instanceof CryptoAttribute.Usable usable) {
                        crypto = answerKeys(usable.attribute(), current, sdes);
                        break;
                    }
                    cryptoRefusal = ((CryptoAttribute.Refused) parsed).reason();
                }
            }
            if (crypto == null && (stream.secureProfile() || sdes.requiresCrypto())) {
                reason = srtpRefusal(sdes, cryptoRefusal);
                continue;
            }
            RtpFormat format = formats.stream().filter(f -> f.codec() == preferred).findFirst()
                    .orElseGet(() -> formats.stream().min(Comparator.comparingInt(f -> codecs.indexOf(f.codec())))
                            .orElseThrow());
            media = media(stream, format, crypto);
            audioIndex = lines.size() - 1;
        }
        return media == null ? new Rejected(reason) : new Accepted(media, List.copyOf(lines), audioIndex);
    }

    /** Our keys for the remote's accepted line: kept from {@code current} when its key and suite are unchanged. */
    private static MediaCrypto answerKeys(CryptoAttribute theirs, MediaCrypto current, SdesPolicy sdes) {
        byte[] remoteKey = theirs.keySalt();
        boolean refresh = current != null && current.suite() == theirs.suite() && current.remoteKeyIs(remoteKey);
        return new MediaCrypto(theirs.suite(), theirs.tag(), remoteKey,
                refresh ? current.localKeyShared() : sdes.keys().get());
    }

    /** Why a stream needs SRTP we cannot give, in words naming the setting. */
    private static String srtpRefusal(SdesPolicy sdes, String cryptoRefusal) {
        if (sdes.mode() == SrtpMode.OFF) {
            return "RTP/SAVP offered but rtp.srtp is off";
        }
        if (!sdes.keysAllowed()) {
            return "SRTP keys would travel over plain SIP (rtp.srtp-over-plain-sip is false)";
        }
        return "SRTP needed and no usable a=crypto: " + cryptoRefusal;
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
        MediaCrypto crypto = null;
        if (!offer.crypto().isEmpty()) {
            crypto = answeredKeys(stream, offer);
            if (crypto == null && offer.lines().get(offer.audioIndex()).protocol()
                    .equalsIgnoreCase(RemoteSdp.SECURE_PROFILE)) {
                return new Rejected("Answer to our RTP/SAVP offer has no a=crypto line of ours");
            }
        }
        for (RtpFormat format : stream.audioFormats()) {
            if (offer.formats().stream().anyMatch(offered -> offered.codec() == format.codec())) {
                return new Accepted(media(stream, format, crypto), offer.lines(), offer.audioIndex());
            }
        }
        return new Rejected("Answer has none of our codecs");
    }

    /**
     * The keys of an answer to our a=crypto offer (RFC 4568 §5.1.3): its first usable line whose tag and suite are
     * one of ours; null when it has none (plain, which only a best-effort offer allows).
     */
    private static MediaCrypto answeredKeys(RemoteSdp.Stream stream, LocalSdp offer) {
        for (String line : stream.crypto()) {
            if (CryptoAttribute.parse(line) instanceof CryptoAttribute.Usable usable) {
                CryptoAttribute theirs = usable.attribute();
                for (CryptoAttribute ours : offer.crypto()) {
                    if (ours.tag() == theirs.tag() && ours.suite() == theirs.suite()) {
                        return new MediaCrypto(ours.suite(), ours.tag(), theirs.keySalt(), ours.keySalt());
                    }
                }
            }
        }
        return null;
    }

    /**
     * The media {@code format} of {@code stream} gives: its telephone-event, the packet time we send (its ptime and
     * maxptime, {@link NegotiatedMedia#sendPtime}), rtcp-mux and a=rtcp (RFC 5761, RFC 3605), comfort noise, and
     * the SRTP keys settled on ({@code crypto}, null for plain RTP).
     */
    private static NegotiatedMedia media(RemoteSdp.Stream stream, RtpFormat format, MediaCrypto crypto) {
        int telephoneEvent = stream.telephoneEventPt();
        return new NegotiatedMedia(format.codec(), format.payloadType(),
                telephoneEvent == format.payloadType() ? -1 : telephoneEvent,
                NegotiatedMedia.sendPtime(stream.ptimeMs(), stream.maxPtimeMs()),
                stream.effectiveDirection().answer(), stream.rtpTarget(), stream.rtcpMux(), stream.rtcp(),
                stream.comfortNoise() && format.payloadType() != RemoteSdp.COMFORT_NOISE_PT, crypto);
    }
}
