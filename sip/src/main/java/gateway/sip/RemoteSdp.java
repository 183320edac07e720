package gateway.sip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/** An SDP the remote side sent (RFC 4566), reduced to what offer/answer needs; read with jain-sip's SDP parser. */
record RemoteSdp(List<Stream> streams) {

    /** RTP payload types are 7 bits (RFC 3550 §5.1). */
    private static final int MAX_PAYLOAD_TYPE = 127;
    private static final int MAX_PORT = 65_535;
    private static final String TELEPHONE_EVENT = "telephone-event";
    /** RFC 3551 table 4: comfort noise at 8 kHz (RFC 3389). */
    static final int COMFORT_NOISE_PT = 13;
    /** The RTP profiles of plain and secure audio (RFC 3551, RFC 3711 §12). */
    static final String PLAIN_PROFILE = "RTP/AVP";
    static final String SECURE_PROFILE = "RTP/SAVP";

    /**
     * One m= line with its attributes.
     *
     * @param formats   the payload types of the m= line that are numbers in range, in order
     * @param encodings rtpmap encodings by payload type, e.g. 98 → "PCMA/8000"
     * @param address   the connection address (media-level c= else session-level), null when absent or not an IP
     * @param direction the direction attribute as written (media-level, else session-level, else sendrecv)
     * @param ptimeMs   a=ptime, 0 when absent or not a positive number
     * @param maxPtimeMs a=maxptime, 0 when absent or not a positive number
     * @param rtcpMux   a=rtcp-mux is present (RFC 5761)
     * @param rtcp      where the remote wants RTCP (a=rtcp, RFC 3605), or null
     * @param crypto    the values of the stream's a=crypto attributes in order (RFC 4568 §9.1)
     */
    record Stream(String mediaType, int port, String protocol, String firstFormat, List<Integer> formats,
                  Map<Integer, String> encodings, InetAddress address, MediaDirection direction, int ptimeMs,
                  int maxPtimeMs, boolean rtcpMux, InetSocketAddress rtcp, List<String> crypto) {

        /** True for an audio stream over RTP/AVP (RFC 3551) or RTP/SAVP (RFC 3711 §12), the kinds we carry. */
        boolean isRtpAudio() {
            return "audio".equalsIgnoreCase(mediaType) && (PLAIN_PROFILE.equalsIgnoreCase(protocol)
                    || SECURE_PROFILE.equalsIgnoreCase(protocol));
        }

        /** True for RTP/SAVP: SRTP or nothing (RFC 4568 §3.1.4 is no answer for it over RTP/AVP). */
        boolean secureProfile() {
            return SECURE_PROFILE.equalsIgnoreCase(protocol);
        }

        /** The formats of this stream we can carry (G.711, G.722), in the order listed. */
        List<RtpFormat> audioFormats() {
            List<RtpFormat> ours = new ArrayList<>(3);
            for (int pt : formats) {
                codec(pt).ifPresent(codec -> ours.add(new RtpFormat(pt, codec)));
            }
            return ours;
        }

        /**
         * The codec of {@code pt}: its rtpmap when present (8 kHz only), else the static assignment (RFC 3551 table 4).
         */
        Optional<AudioCodec> codec(int pt) {
            String encoding = encodings.get(pt);
            if (encoding == null) {
                return AudioCodec.byStaticPayloadType(pt);
            }
            String[] parts = encoding.split("/");
            if (parts.length < 2 || !parts[1].trim().equals(String.valueOf(AudioCodec.CLOCK_RATE))) {
                return Optional.empty();
            }
            return AudioCodec.byEncodingName(parts[0]);
        }

        /** The first listed payload type mapped to telephone-event/8000 (RFC 4733 §7.1.1), or -1. */
        int telephoneEventPt() {
            for (int pt : formats) {
                String encoding = encodings.get(pt);
                if (encoding != null && encoding.toLowerCase(Locale.ROOT).replace(" ", "")
                        .startsWith(TELEPHONE_EVENT + "/" + AudioCodec.CLOCK_RATE)) {
                    return pt;
                }
            }
            return -1;
        }

        /**
         * True when the remote gave the null address c=0.0.0.0, the old way to put a stream on hold (RFC 3264 §8.4).
         */
        boolean heldByNullAddress() {
            return address != null && address.isAnyLocalAddress();
        }

        /** The remote's direction, counting a null address as "does not receive" (RFC 3264 §8.4). */
        MediaDirection effectiveDirection() {
            if (!heldByNullAddress()) {
                return direction;
            }
            return switch (direction) {
                case SENDRECV -> MediaDirection.SENDONLY;
                case RECVONLY -> MediaDirection.INACTIVE;
                default -> direction;
            };
        }

        /** True when the remote lists comfort noise on its static payload type 13 (RFC 3389 §4). */
        boolean comfortNoise() {
            if (!formats.contains(COMFORT_NOISE_PT)) {
                return false;
            }
            String encoding = encodings.get(COMFORT_NOISE_PT);
            return encoding == null || encoding.toUpperCase(Locale.ROOT).replace(" ", "")
                    .startsWith("CN/" + AudioCodec.CLOCK_RATE);
        }

        /** Where our RTP goes, or null when the remote gave the null address. */
        InetSocketAddress rtpTarget() {
            return address == null || heldByNullAddress() ? null : new InetSocketAddress(address, port);
        }

        MediaLine line() {
            return new MediaLine(mediaType, protocol, firstFormat);
        }
    }

    /** Parses {@code sdp}; throws for text that is not an SDP session description with at least one m= line. */
    static RemoteSdp parse(String sdp) throws SdpParseException {
        SessionDescription session;
        try {
            session = SdpFactory.getInstance().createSessionDescription(sdp);
        } catch (SdpException | RuntimeException e) {
            throw new SdpParseException("Unparseable SDP");
        }
        try {
            Vector<?> descriptions = session.getMediaDescriptions(false);
            if (descriptions == null || descriptions.isEmpty()) {
                throw new SdpParseException("No m= line");
            }
            InetAddress sessionAddress = address(session.getConnection());
            MediaDirection sessionDirection = direction(session.getAttributes(false));
            List<Stream> streams = new ArrayList<>(descriptions.size());
            for (Object item : descriptions) {
                streams.add(stream((MediaDescription) item, sessionAddress, sessionDirection));
            }
            return new RemoteSdp(List.copyOf(streams));
        } catch (SdpException | RuntimeException e) {
            throw new SdpParseException("Invalid SDP: " + e.getMessage());
        }
    }

    private static Stream stream(MediaDescription description, InetAddress sessionAddress,
                                 MediaDirection sessionDirection) throws SdpException {
        Media media = description.getMedia();
        int port = media.getMediaPort();
        if (port < 0 || port > MAX_PORT) {
            // RFC 4566 §5.14: a port is 16 bits; jain-sip takes any number (found by SdpFuzzTest).
            throw new SdpException("m= port out of range: " + port);
        }
        Vector<?> rawFormats = media.getMediaFormats(false);
        List<Integer> formats = new ArrayList<>();
        String first = "0";
        if (rawFormats != null && !rawFormats.isEmpty()) {
            first = String.valueOf(rawFormats.get(0)).trim();
            for (Object format : rawFormats) {
                int pt = payloadType(String.valueOf(format));
                if (pt >= 0) {
                    formats.add(pt);
                }
            }
        }
        Vector<?> attributes = description.getAttributes(false);
        Map<Integer, String> encodings = new LinkedHashMap<>();
        for (String rtpmap : values(attributes, "rtpmap")) {
            int space = rtpmap.indexOf(' ');
            int pt = space > 0 ? payloadType(rtpmap.substring(0, space)) : -1;
            if (pt >= 0) {
                encodings.putIfAbsent(pt, rtpmap.substring(space + 1).trim());
            }
        }
        InetAddress address = description.getConnection() != null
                ? address(description.getConnection()) : sessionAddress;
        MediaDirection direction = direction(attributes);
        return new Stream(media.getMediaType(), port, media.getProtocol(), first, List.copyOf(formats),
                Map.copyOf(encodings), address, direction != null ? direction
                : sessionDirection != null ? sessionDirection : MediaDirection.SENDRECV,
                positive(values(attributes, "ptime")), positive(values(attributes, "maxptime")),
                present(attributes, "rtcp-mux"), rtcp(values(attributes, "rtcp"), address),
                List.copyOf(values(attributes, "crypto")));
    }

    /**
     * RFC 3605: a=rtcp:port, optionally followed by "IN IP4 address"; the stream's address when none is given. Null
     * when absent, unusable, or the stream's address is the null address.
     */
    private static InetSocketAddress rtcp(List<String> values, InetAddress streamAddress) {
        if (values.isEmpty()) {
            return null;
        }
        String[] parts = values.get(0).trim().split("\\s+");
        int port = positive(List.of(parts[0]));
        if (port <= 0 || port > MAX_PORT) {
            return null;
        }
        InetAddress address = streamAddress;
        if (parts.length == 4) {
            address = IpLiterals.parse(parts[3]);
        }
        return address == null || address.isAnyLocalAddress() ? null : new InetSocketAddress(address, port);
    }

    private static int payloadType(String text) {
        try {
            int pt = Integer.parseInt(text.trim());
            return pt >= 0 && pt <= MAX_PAYLOAD_TYPE ? pt : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static InetAddress address(Connection connection) throws SdpException {
        return connection == null ? null : IpLiterals.parse(connection.getAddress());
    }

    /** The first direction attribute (RFC 3264 §5.1) among {@code attributes}, or null. */
    private static MediaDirection direction(Vector<?> attributes) throws SdpException {
        if (attributes == null) {
            return null;
        }
        for (Object item : attributes) {
            String name = ((Attribute) item).getName();
            for (MediaDirection direction : MediaDirection.values()) {
                if (direction.attribute().equalsIgnoreCase(name)) {
                    return direction;
                }
            }
        }
        return null;
    }

    /** The first value as a positive number, else 0. */
    private static int positive(List<String> values) {
        for (String value : values) {
            try {
                int number = Integer.parseInt(value.trim());
                return Math.max(0, number);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** True when a property attribute (one without a value, RFC 4566 §5.13) named {@code name} is present. */
    private static boolean present(Vector<?> attributes, String name) throws SdpException {
        if (attributes != null) {
            for (Object item : attributes) {
                if (name.equalsIgnoreCase(((Attribute) item).getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> values(Vector<?> attributes, String name) throws SdpException {
        List<String> values = new ArrayList<>(2);
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
}
