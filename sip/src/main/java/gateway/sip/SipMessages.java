package gateway.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/** Builds the responses and requests the UAS sends, with jain-sip's message and header factories. */
final class SipMessages {

    /** Methods we implement, for Allow (RFC 3261 §20.5). */
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS";
    static final String SDP = "application/sdp";
    /** RFC 3261 §8.1.1.7 magic cookie that marks an RFC 3261 branch. */
    static final String BRANCH_COOKIE = "z9hG4bK";
    private static final int MAX_FORWARDS = 70;
    private static final int MAX_REASON_LENGTH = 80;

    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final String publicHost;
    private final String userAgent;

    SipMessages(String publicHost, String userAgent) {
        SystemStackLogger.install();
        this.publicHost = publicHost;
        this.userAgent = printable(userAgent);
    }

    /** A random tag or branch suffix with well over the 32 bits of randomness RFC 3261 §19.3 asks for. */
    static String randomToken() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() & Long.MAX_VALUE) + Integer.toHexString(random.nextInt() & 0xffff);
    }

    /**
     * A response to {@code request} per RFC 3261 §8.2.6 (Via, From, To, Call-ID, CSeq and Record-Route copied);
     * {@code toTag} is added when the To has none and the status is not 100.
     */
    SIPResponse response(SIPRequest request, int status, String reason, String toTag) {
        SIPResponse response = reason == null ? request.createResponse(status) : request.createResponse(status, printable(reason));
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

    /** Sets a header given as text; list values such as "Allow" go through jain-sip's list parser. */
    void add(SIPResponse response, String name, String value) {
        try {
            for (Object header : headers.createHeaders(name + ": " + value)) {
                response.addHeader((javax.sip.header.Header) header);
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad header " + name + ": " + value, e);
        }
    }

    /** Adds our Contact (RFC 3261 §12.1.1): sip:gateway@publicHost:port, with ;transport=tcp on TCP. */
    void addContact(SIPResponse response, int port, Transport transport) {
        String uri = "sip:gateway@" + hostForUri(publicHost) + ":" + port + (transport == Transport.TCP ? ";transport=tcp" : "");
        add(response, "Contact", "<" + uri + ">");
    }

    /** Puts an SDP body on the response. */
    void setSdp(SIPResponse response, String sdp) {
        try {
            response.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
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
     * The BYE ending the dialog of {@code invite} from our side (RFC 3261 §12.2.1.1, §15.1.1): From/To swapped,
     * Request-URI the remote Contact, Route set from Record-Route in order (§12.1.1, UAS side), a new branch.
     */
    SIPRequest bye(SIPRequest invite, String localTag, long cseq, String branch, int port, Transport transport) {
        try {
            SipUri target = (SipUri) remoteTarget(invite).clone();
            CallIdHeader callId = (CallIdHeader) invite.getCallId().clone();
            CSeqHeader cseqHeader = headers.createCSeqHeader(cseq, Request.BYE);
            FromHeader from = headers.createFromHeader(invite.getTo().getAddress(), localTag);
            ToHeader to = headers.createToHeader(invite.getFrom().getAddress(), invite.getFrom().getTag());
            Via via = (Via) headers.createViaHeader(publicHost, port, transport.name(), branch);
            via.setRPort();
            List<Via> vias = new ArrayList<>(1);
            vias.add(via);
            SIPRequest bye = (SIPRequest) messages.createRequest(target, Request.BYE, callId, cseqHeader, from, to, vias,
                    headers.createMaxForwardsHeader(MAX_FORWARDS));
            for (Route route : routeSet(invite)) {
                bye.addHeader(route);
            }
            bye.setHeader(headers.createHeader("User-Agent", userAgent));
            return bye;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build BYE", e);
        }
    }

    /**
     * The remote target: the INVITE's Contact URI (RFC 3261 §12.1.1); an RFC 2543 INVITE without Contact falls back
     * to its From URI (RFC 2543 §6.13). Null when neither is a SIP URI.
     */
    static SipUri remoteTarget(SIPRequest invite) {
        javax.sip.header.ContactHeader contact = (javax.sip.header.ContactHeader) invite.getHeader("Contact");
        if (contact != null) {
            return contact.getAddress().getURI() instanceof SipUri uri ? uri : null;
        }
        return invite.getFrom().getAddress().getURI() instanceof SipUri from ? from : null;
    }

    /** Route set of a UAS: the INVITE's Record-Route values in order (RFC 3261 §12.1.1). */
    static List<Route> routeSet(SIPRequest invite) {
        List<Route> routes = new ArrayList<>();
        if (invite.getRecordRouteHeaders() == null) {
            return routes;
        }
        for (Iterator<?> it = invite.getRecordRouteHeaders().iterator(); it.hasNext(); ) {
            RecordRoute recordRoute = (RecordRoute) it.next();
            Route route = new Route();
            route.setAddress((Address) recordRoute.getAddress().clone());
            for (Iterator<?> names = recordRoute.getParameterNames(); names.hasNext(); ) {
                String name = (String) names.next();
                try {
                    route.setParameter(name, recordRoute.getParameter(name));
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            routes.add(route);
        }
        return routes;
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
