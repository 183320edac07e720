package gateway.sip;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * Picks the audio codec from an SDP offer (RFC 3264 §6, RFC 4566): the first of PCMU/PCMA in the m= line's order,
 * plus RFC 4733 telephone-event if offered. Pure: no I/O, no state.
 */
final class SdpNegotiator {

    /** Default packet time when the offer has no a=ptime (RFC 3551 §4.5 for G.711). */
    static final int DEFAULT_PTIME_MS = 20;

    private static final int PCMU_STATIC_PT = 0;
    private static final int PCMA_STATIC_PT = 8;
    private static final int G711_CLOCK_RATE = 8000;

    private SdpNegotiator() {
    }

    /** One m= line of the offer, kept so the answer can mirror every stream in order (RFC 3264 §6). */
    record OfferedStream(String mediaType, String protocol, String firstFormat) {
    }

    /** The outcome of negotiating an offer. */
    sealed interface Result permits Accepted, Rejected {
    }

    /** An acceptable offer: {@code audioIndex} is the m= line we answer with media, all others get port 0. */
    record Accepted(MediaOffer media, List<OfferedStream> streams, int audioIndex) implements Result {
    }

    /** No acceptable stream; {@code reason} says why (for logs and the Warning/reason phrase). */
    record Rejected(String reason) implements Result {
    }

    /** Negotiates {@code sdp}, the body of an INVITE. */
    static Result negotiate(String sdp) {
        SessionDescription session;
        try {
            session = SdpFactory.getInstance().createSessionDescription(sdp);
        } catch (SdpException | RuntimeException e) {
            return new Rejected("Unparseable SDP");
        }
        try {
            return negotiate(session);
        } catch (SdpException | RuntimeException e) {
            return new Rejected("Invalid SDP: " + e.getMessage());
        }
    }

    private static Result negotiate(SessionDescription session) throws SdpException {
        Vector<?> descriptions = session.getMediaDescriptions(false);
        if (descriptions == null || descriptions.isEmpty()) {
            return new Rejected("No m= line");
        }
        List<OfferedStream> streams = new ArrayList<>();
        Accepted accepted = null;
        String lastReason = "No PCMU/PCMA audio stream";
        for (Object item : descriptions) {
            MediaDescription description = (MediaDescription) item;
            Media media = description.getMedia();
            Vector<?> formats = media.getMediaFormats(false);
            String first = formats == null || formats.isEmpty() ? "0" : String.valueOf(formats.get(0)).trim();
            streams.add(new OfferedStream(media.getMediaType(), media.getProtocol(), first));
            if (accepted != null || !"audio".equalsIgnoreCase(media.getMediaType())
                    || !"RTP/AVP".equalsIgnoreCase(media.getProtocol()) || media.getMediaPort() <= 0 || formats == null) {
                continue;
            }
            Codec codec = pickCodec(formats, description);
            if (codec == null) {
                continue;
            }
            Connection connection = description.getConnection() != null ? description.getConnection() : session.getConnection();
            if (connection == null) {
                lastReason = "No c= line for the audio stream";
                continue;
            }
            InetAddress address = ipLiteral(connection.getAddress());
            if (address == null) {
                lastReason = "c= address is not an IP address";
                continue;
            }
            InetSocketAddress remote = new InetSocketAddress(address, media.getMediaPort());
            MediaOffer offer = new MediaOffer(codec.name, codec.pt, telephoneEventPt(description), remote, ptime(description));
            accepted = new Accepted(offer, streams, streams.size() - 1);
        }
        return accepted != null ? new Accepted(accepted.media(), List.copyOf(streams), accepted.audioIndex()) : new Rejected(lastReason);
    }

    private record Codec(String name, int pt) {
    }

    private static Codec pickCodec(Vector<?> formats, MediaDescription description) throws SdpException {
        for (Object format : formats) {
            int pt;
            try {
                pt = Integer.parseInt(String.valueOf(format).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            String encoding = rtpmapEncoding(description, pt);
            String name;
            if (encoding != null) {
                name = g711Name(encoding);
            } else {
                name = pt == PCMU_STATIC_PT ? "PCMU" : pt == PCMA_STATIC_PT ? "PCMA" : null;
            }
            if (name != null) {
                return new Codec(name, pt);
            }
        }
        return null;
    }

    /** "PCMU"/"PCMA" for an rtpmap encoding like "pcmu/8000" (names are case-insensitive, RFC 4566 §6), else null. */
    private static String g711Name(String encoding) {
        String[] parts = encoding.split("/");
        if (parts.length < 2 || !parts[1].trim().equals(String.valueOf(G711_CLOCK_RATE))) {
            return null;
        }
        String name = parts[0].trim().toUpperCase(Locale.ROOT);
        return name.equals("PCMU") || name.equals("PCMA") ? name : null;
    }

    /** The encoding part of "a=rtpmap:&lt;pt&gt; &lt;encoding&gt;/&lt;rate&gt;" for {@code pt}, or null. */
    private static String rtpmapEncoding(MediaDescription description, int pt) throws SdpException {
        for (String value : attributeValues(description, "rtpmap")) {
            int space = value.indexOf(' ');
            if (space > 0 && value.substring(0, space).trim().equals(String.valueOf(pt))) {
                return value.substring(space + 1).trim();
            }
        }
        return null;
    }

    private static int telephoneEventPt(MediaDescription description) throws SdpException {
        for (String value : attributeValues(description, "rtpmap")) {
            int space = value.indexOf(' ');
            if (space > 0 && value.substring(space + 1).trim().toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                try {
                    return Integer.parseInt(value.substring(0, space).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static int ptime(MediaDescription description) throws SdpException {
        for (String value : attributeValues(description, "ptime")) {
            try {
                int ptime = Integer.parseInt(value.trim());
                if (ptime > 0) {
                    return ptime;
                }
            } catch (NumberFormatException e) {
                return DEFAULT_PTIME_MS;
            }
        }
        return DEFAULT_PTIME_MS;
    }

    private static List<String> attributeValues(MediaDescription description, String name) throws SdpException {
        List<String> values = new ArrayList<>();
        Vector<?> attributes = description.getAttributes(false);
        if (attributes == null) {
            return values;
        }
        for (Object item : attributes) {
            Attribute attribute = (Attribute) item;
            if (name.equalsIgnoreCase(attribute.getName()) && attribute.getValue() != null) {
                values.add(attribute.getValue());
            }
        }
        return values;
    }

    /** Parses an IPv4/IPv6 literal without any DNS lookup; null when it is a host name. */
    private static InetAddress ipLiteral(String host) {
        if (host == null) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host.trim());
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
