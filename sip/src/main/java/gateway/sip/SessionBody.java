package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentTypeHeader;

/**
 * What a request's body brings to offer/answer (RFC 3261 §13.2.1, §13.3.1; RFC 3264):
 * nothing, SDP, or a body we refuse.
 */
sealed interface SessionBody {

    /** No body. */
    record None() implements SessionBody {
    }

    /** An application/sdp body. */
    record Sdp(String text) implements SessionBody {
    }

    /** A body we cannot take, answered with {@code status} (415 and 406 carry Accept: application/sdp). */
    record Refused(int status, String reason) implements SessionBody {
    }

    /**
     * The body of {@code request}: 415 for a type other than application/sdp (RFC 3261 §21.4.13), 406 when our
     * 2xx would carry SDP (an INVITE, or any request with an offer) but its Accept rules SDP out (§21.4.7).
     */
    static SessionBody of(SIPRequest request) {
        byte[] body = request.getRawContent();
        boolean hasBody = body != null && body.length > 0;
        if (hasBody) {
            ContentTypeHeader type = request.getContentTypeHeader();
            if (type == null || !"application".equalsIgnoreCase(type.getContentType())
                    || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
                return new Refused(415, "Unsupported Media Type");
            }
        }
        if ((hasBody || SipMethod.INVITE.name().equals(request.getMethod())) && !acceptsSdp(request)) {
            return new Refused(406, "Not Acceptable");
        }
        return hasBody ? new Sdp(new String(body, StandardCharsets.UTF_8)) : new None();
    }

    /** True unless an Accept header is present and none of its values covers application/sdp. */
    private static boolean acceptsSdp(SIPRequest request) {
        Iterator<?> accepts = request.getHeaders(AcceptHeader.NAME);
        if (accepts == null || !accepts.hasNext()) {
            return true;
        }
        while (accepts.hasNext()) {
            AcceptHeader accept = (AcceptHeader) accepts.next();
            String type = accept.getContentType() == null ? "" : accept.getContentType().toLowerCase(Locale.ROOT);
            String subType = accept.getContentSubType() == null
                    ? "" : accept.getContentSubType().toLowerCase(Locale.ROOT);
            if ((type.equals("application") || type.equals("*")) && (subType.equals("sdp") || subType.equals("*"))) {
                return true;
            }
        }
        return false;
    }
}
