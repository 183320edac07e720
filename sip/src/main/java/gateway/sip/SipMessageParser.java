package gateway.sip;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns one framed message into a {@link ParseOutcome} with jain-sip's {@link StringMsgParser}, adding the RFC 3261
 * syntax checks that parser is lenient about (request-line form, version, duplicated single-value headers,
 * broken key headers). Stateless and thread-safe.
 */
final class SipMessageParser {

    /** Headers whose damage makes the message unusable (RFC 3261 §8.1.1 mandatory ones and framing). */
    private static final Set<Class<?>> KEY_HEADERS = Set.of(Via.class, CSeq.class, CallID.class, From.class, To.class,
            ContentLength.class, ContentType.class, MaxForwards.class, Contact.class, RequestLine.class,
            StatusLine.class);

    /** Headers that may appear at most once (RFC 3261 §7.3, §20). */
    private static final List<String> SINGLE_VALUED = List.of("call-id", "cseq", "from", "to", "max-forwards",
            "content-length", "content-type");

    private static final String SIP_VERSION = "SIP/2.0";

    SipMessageParser() {
        SystemStackLogger.install();
    }

    /** Parses {@code data}; never throws. */
    ParseOutcome parse(byte[] data) {
        RawHeaders raw = RawHeaders.scan(data);
        String startLine = raw.startLine();
        boolean request = !startLine.startsWith("SIP/");
        if (request) {
            String problem = requestLineProblem(startLine);
            if (problem != null) {
                return new ParseOutcome.Invalid(problem.equals(SIP_VERSION) ? 505 : 400,
                        problem.equals(SIP_VERSION) ? "Version Not Supported" : problem, raw);
            }
        }
        for (String name : SINGLE_VALUED) {
            if (raw.count(name) > 1) {
                return new ParseOutcome.Invalid(400, "Duplicate " + name + " header", raw);
            }
        }
        List<String> damaged = new ArrayList<>(2);
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(data, true, false, (ex, msg, headerClass, header, text) -> {
                if (KEY_HEADERS.contains(headerClass)) {
                    damaged.add(headerName(headerClass));
                }
            });
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ParseOutcome.Invalid(400, "Bad message: " + firstLine(reason), raw);
        }
        if (message == null || message.getFirstLine() == null) {
            return new ParseOutcome.Invalid(400, "Bad start line", raw);
        }
        if (!damaged.isEmpty()) {
            return new ParseOutcome.Invalid(400, "Bad " + damaged.get(0) + " header", raw);
        }
        takeBodyToEnd(message, raw, data);
        if (message instanceof SIPResponse response) {
            return new ParseOutcome.Response(response);
        }
        SIPRequest sipRequest = (SIPRequest) message;
        String problem = uriProblem(sipRequest);
        return problem != null ? new ParseOutcome.Invalid(400, problem, raw) : new ParseOutcome.Request(sipRequest);
    }

    /**
     * RFC 3261 §18.3: without Content-Length a datagram's body runs to its end (the TCP framer refuses such messages,
     * so only UDP gets here); the parser would otherwise drop it, turning an RFC 2543 INVITE's offer into no offer.
     */
    private static void takeBodyToEnd(SIPMessage message, RawHeaders raw, byte[] data) {
        int bodyStart = RawHeaders.headerEnd(data);
        if (raw.count("content-length") == 0 && bodyStart < data.length) {
            message.setMessageContent(Arrays.copyOfRange(data, bodyStart, data.length));
        }
    }

    /**
     * Null if the Request-Line is exactly "Method SP Request-URI SP SIP-Version" (§7.1);
     * SIP_VERSION if only the version is wrong.
     */
    private static String requestLineProblem(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()
                || line.chars().anyMatch(c -> c == '\t')) {
            return "Malformed Request-Line";
        }
        if (!parts[2].startsWith("SIP/")) {
            return "Malformed Request-Line";
        }
        return parts[2].equals(SIP_VERSION) ? null : SIP_VERSION;
    }

    /** RFC 3261 §19.1.5: a Request-URI must not carry headers; §20.10: an unbracketed URI cannot either. */
    private static String uriProblem(SIPRequest request) {
        if (request.getRequestURI() instanceof SipUri uri && uri.getHeaderNames().hasNext()) {
            return "Request-URI must not contain headers";
        }
        for (Iterator<SIPHeader> it = request.getHeaders("Contact"); it.hasNext(); ) {
            SIPHeader header = it.next();
            if (header instanceof Contact contact && contact.getAddress() instanceof AddressImpl address
                    && address.getAddressType() == AddressImpl.ADDRESS_SPEC
                    && address.getURI() instanceof SipUri uri && uri.getHeaderNames().hasNext()) {
                return "Contact URI with headers must be in angle brackets";
            }
        }
        return null;
    }

    private static String headerName(Class<?> headerClass) {
        return headerClass == CallID.class ? "Call-ID" : headerClass == ContentLength.class ? "Content-Length"
                : headerClass == ContentType.class ? "Content-Type" : headerClass == MaxForwards.class ? "Max-Forwards"
                : headerClass == RequestLine.class ? "Request-Line" : headerClass == StatusLine.class ? "Status-Line"
                : headerClass.getSimpleName();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        return line.replace('\r', ' ').trim();
    }
}
