package gateway.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;

/** Builds the responses and requests the UAS sends, with jain-sip's message and header factories. */
final class SipMessages {

    static final String SDP = "application/sdp";
    /** RFC 3261 §8.1.1.7 magic cookie that marks an RFC 3261 branch. */
    static final String BRANCH_COOKIE = "z9hG4bK";
    private static final int MAX_FORWARDS = 70;
    private static final int MAX_REASON_LENGTH = 80;

    /** Headers whose value may be a comma-separated list (RFC 3261 §7.3.1) among those we add. */
    private static final java.util.Set<String> LIST_HEADERS = java.util.Set.of("allow", "supported", "require",
            "unsupported", "accept", "contact", "warning", "route", "record-route", "via");
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final String publicHost;
    private final String userAgent;

    SipMessages(String publicHost, String userAgent) {
        SystemStackLogger.install();
        this.publicHost = publicHost;
        this.userAgent = printable(userAgent);
    }

    /** The host we put in Via and Contact. */
    String publicHost() {
        return publicHost;
    }

    /** A random tag or branch suffix with well over the 32 bits of randomness RFC 3261 §19.3 asks for. */
    static String randomToken() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() & Long.MAX_VALUE) + Integer.toHexString(random.nextInt() & 0xffff);
    }

    /**
     * The To tag of a stateless response (RFC 3261 §8.2.7): the same for every retransmission of a request, so made
     * from the parts that name it (Call-ID, From, top Via).
     */
    static String statelessTag(String... requestParts) {
        return "s" + Integer.toHexString(java.util.Arrays.hashCode(requestParts));
    }

    /**
     * A response to {@code request} per RFC 3261 §8.2.6 (Via, From, To, Call-ID, CSeq and Record-Route copied);
     * {@code toTag} is added when the To has none and the status is not 100.
     */
    SIPResponse response(SIPRequest request, int status, String reason, String toTag) {
        SIPResponse response = reason == null
                ? request.createResponse(status) : request.createResponse(status, printable(reason));
        try {
            To to = (To) response.getTo();
            if (status != 100 && toTag != null && to != null && to.getTag() == null) {
                to.setTag(toTag);
            }
            response.setHeader(headers.createHeader("Server", userAgent));
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build response", e);
        }
        return response;
    }

    /**
     * Sets a header given as text; list values such as "Allow" go through jain-sip's list parser, single-valued ones
     * such as Session-Expires (which that parser refuses) through its header parser.
     */
    void add(SIPMessage message, String name, String value) {
        try {
            if (LIST_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                for (Object header : headers.createHeaders(name + ": " + value)) {
                    message.addHeader((javax.sip.header.Header) header);
                }
            } else {
                message.addHeader(headers.createHeader(name, value));
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad header " + name + ": " + value, e);
        }
    }

    /** Adds one header that jain-sip does not take as a list (WWW-Authenticate, Authorization). */
    void addOne(SIPMessage message, String name, String value) {
        try {
            message.addHeader(headers.createHeader(name, value));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad header " + name, e);
        }
    }

    /**
     * Adds our Contact (RFC 3261 §12.1.1): sip:gateway@publicHost:port, with ;transport=tcp or ;transport=tls on
     * those; a sips: URI when the request was sent to one (§8.1.1.8, RFC 5630 §3.1.3).
     */
    void addContact(SIPMessage message, int port, Transport transport, boolean sips) {
        String uri = sips ? "sips:gateway@" + hostForUri(publicHost) + ":" + port
                : contactUri("gateway", port, transport);
        add(message, "Contact", "<" + uri + ">");
    }

    /** Adds Allow with the methods we implement (RFC 3261 §20.5), for OPTIONS, 405 and 501. */
    void addAllow(SIPResponse response) {
        add(response, "Allow", SipMethod.ALLOW);
    }

    /**
     * Adds what a peer learns our dialog can do (RFC 3261 §13.3.1.1, §20.5, §20.37): Allow with our methods and
     * Supported with our extensions, on a dialog-creating response, OPTIONS and our target refresh requests.
     */
    void addCapabilities(SIPMessage message) {
        add(message, "Allow", SipMethod.ALLOW);
        add(message, "Supported", Extensions.SUPPORTED);
    }

    /** Adds Min-SE (RFC 4028 §5), on a 422. */
    void addMinSe(SIPResponse response, int seconds) {
        add(response, SessionTimerRequest.MIN_SE, String.valueOf(seconds));
    }

    /** Adds Accept: application/sdp, the one body we take (RFC 3261 §20.1, §21.4.13). */
    void addAcceptSdp(SIPResponse response) {
        add(response, "Accept", SDP);
    }

    /** Adds Retry-After (RFC 3261 §20.33). */
    void addRetryAfter(SIPResponse response, int seconds) {
        try {
            response.setHeader(headers.createRetryAfterHeader(seconds));
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalArgumentException("bad Retry-After seconds: " + seconds, e);
        }
    }

    /** Puts an SDP body with its Content-Type on the message. */
    void setSdp(SIPMessage message, String sdp) {
        try {
            message.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes of a response as sent on the wire (jain-sip rewrites the top Via transport to the one given). */
    static byte[] encode(SIPResponse response) {
        Via via = response.getTopmostVia();
        return response.encodeAsBytes(via != null && via.getTransport() != null ? via.getTransport() : "UDP");
    }

    /**
     * A response built from raw header text for a request the parser could not take (RFC 3261 §8.2.6 copy rules
     * applied line by line; {@link RawHeaders#canAnswer()} must be true).
     */
    byte[] rawResponse(RawHeaders raw, int status, String reason, String toTag) {
        StringBuilder text = new StringBuilder(512);
        text.append("SIP/2.0 ").append(status).append(' ').append(printable(reason)).append("\r\n");
        for (String via : raw.values("via")) {
            text.append("Via: ").append(via).append("\r\n");
        }
        text.append("From: ").append(raw.first("from")).append("\r\n");
        text.append("To: ").append(raw.first("to"));
        if (raw.toTag() == null) {
            text.append(";tag=").append(toTag);
        }
        text.append("\r\n");
        text.append("Call-ID: ").append(raw.first("call-id")).append("\r\n");
        text.append("CSeq: ").append(raw.first("cseq")).append("\r\n");
        text.append("Server: ").append(userAgent).append("\r\n");
        text.append("Content-Length: 0\r\n\r\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A request of ours in {@code dialog} (RFC 3261 §12.2.1.1): From our party with our tag, To the remote party with
     * theirs, Request-URI the remote target, the route set as Route headers in order (loose routing), a new branch.
     */
    SIPRequest request(Dialog dialog, SipMethod method, long cseq, String branch, int port, Transport transport) {
        try {
            DialogId id = dialog.id();
            SipUri target = (SipUri) dialog.remoteTarget().clone();
            CallIdHeader callId = headers.createCallIdHeader(id.callId());
            CSeqHeader cseqHeader = headers.createCSeqHeader(cseq, method.name());
            FromHeader from = headers.createFromHeader((Address) dialog.localParty().clone(), id.localTag());
            ToHeader to = headers.createToHeader((Address) dialog.remoteParty().clone(), id.remoteTag());
            Via via = (Via) headers.createViaHeader(publicHost, port, transport.name(), branch);
            via.setRPort();
            List<Via> vias = new ArrayList<>(1);
            vias.add(via);
            SIPRequest request = (SIPRequest) messages.createRequest(target, method.name(), callId, cseqHeader, from,
                    to, vias, headers.createMaxForwardsHeader(MAX_FORWARDS));
            for (Route route : dialog.routeSet()) {
                request.addHeader((Route) route.clone());
            }
            request.setHeader(headers.createHeader("User-Agent", userAgent));
            return request;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build " + method, e);
        }
    }

    /**
     * A REGISTER of ours (RFC 3261 §10.2): Request-URI {@code registrarUri}, To and From the address of record,
     * our Contact with {@code expires}, a new branch; {@code authorization} (header name and value) answers the
     * registrar's last challenge, or is null.
     */
    SIPRequest register(String registrarUri, String addressOfRecord, String contactUri, String callId,
                        String fromTag, long cseq, int expires, String branch, int port, Transport transport,
                        Map.Entry<String, String> authorization) {
        try {
            SipUri target = (SipUri) addresses.createURI(registrarUri);
            Address aor = addresses.createAddress(addresses.createURI(addressOfRecord));
            Via via = (Via) headers.createViaHeader(publicHost, port, transport.name(), branch);
            via.setRPort();
            List<Via> vias = new ArrayList<>(1);
            vias.add(via);
            SIPRequest request = (SIPRequest) messages.createRequest(target, SipMethod.REGISTER.name(),
                    headers.createCallIdHeader(callId), headers.createCSeqHeader(cseq, SipMethod.REGISTER.name()),
                    headers.createFromHeader(aor, fromTag), headers.createToHeader((Address) aor.clone(), null),
                    vias, headers.createMaxForwardsHeader(MAX_FORWARDS));
            request.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createURI(contactUri))));
            request.addHeader(headers.createExpiresHeader(expires));
            if (authorization != null) {
                addOne(request, authorization.getKey(), authorization.getValue());
            }
            request.setHeader(headers.createHeader("User-Agent", userAgent));
            return request;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build REGISTER", e);
        }
    }

    /** Our Contact URI for {@code user}: {@code sip:user@publicHost:port}, with {@code ;transport=tcp} on TCP. */
    String contactUri(String user, int port, Transport transport) {
        return "sip:" + user + "@" + hostForUri(publicHost) + ":" + port
                + (transport == Transport.UDP ? "" : ";transport=" + transport.uriParameter());
    }

    static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Keeps text safe for a reason phrase or header value: printable ASCII, bounded length. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_REASON_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return out.toString().trim();
    }
}
