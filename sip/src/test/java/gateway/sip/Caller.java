package gateway.sip;

import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The caller's side of one call over a {@link UdpHarness}, as a UA at 192.0.2.10:5062 would send it: requests with
 * a new branch each and a CSeq that goes up by one.
 */
final class Caller {

    static final String CONTACT = "<sip:alice@192.0.2.10:5062>";
    static final String RTP_HOST = "203.0.113.5";
    static final int RTP_PORT = 40000;

    final UdpHarness sip;
    final RecordingListener listener = new RecordingListener();
    /** Whether the INVITE carries the two Record-Route headers of {@link SipTestMessages#invite}. */
    boolean recordRoute = true;
    /** Extra header lines (each ending in CRLF) for the initial INVITE, e.g. Supported or Session-Expires. */
    String inviteHeaders = "";
    InboundCall call;
    String toTag;
    int cseq = 101;
    private int branches;

    Caller(UdpHarness sip) {
        this.sip = sip;
    }

    String newBranch() {
        return "z9hG4bK-c" + (++branches);
    }

    /** Sends the INVITE ({@code sdp} null: no body), checks the 100 and takes the call. */
    InboundCall invite(String sdp) {
        sip.send(request("INVITE", newBranch(), cseq, null, CONTACT, sdp));
        assertEquals(100, status(sip.next()));
        call = sip.calls.get(sip.calls.size() - 1);
        call.setListener(listener);
        return call;
    }

    /** Answers the call with RTP at 203.0.113.5:40000 and returns the 200. */
    String answer() {
        call.answer(RTP_HOST, RTP_PORT);
        String ok = sip.next();
        assertEquals(200, status(ok));
        toTag = tag(header(ok, "To"));
        return ok;
    }

    /** INVITE with {@code sdp}, answer, ACK: a confirmed dialog; returns the 200. */
    String establish(String sdp) {
        invite(sdp);
        String ok = answer();
        ack(null);
        return ok;
    }

    /** Sends the ACK for the INVITE with the current CSeq, with {@code sdp} as body when not null. */
    void ack(String sdp) {
        sip.send(request("ACK", newBranch(), cseq, toTag, null, sdp));
    }

    /** Sends an in-dialog request with the next CSeq and returns the response. */
    String send(String method, String sdp) {
        return send(method, sdp, CONTACT);
    }

    /** Sends an in-dialog request with the next CSeq and {@code contact} (null: none) and returns the response. */
    String send(String method, String sdp, String contact) {
        cseq++;
        sip.send(request(method, newBranch(), cseq, toTag, contact, sdp));
        return sip.next();
    }

    /** Sends an in-dialog request with the next CSeq, {@code headers} (lines ending in CRLF) and no body. */
    String sendWith(String method, String headers) {
        cseq++;
        sip.send(request(method, newBranch(), cseq, toTag, null, null).replace("Max-Forwards: 70\r\n",
                "Max-Forwards: 70\r\n" + headers));
        return sip.next();
    }

    /** A request as this caller writes it; {@code toTag} null means outside a dialog. */
    String request(String method, String branch, int number, String withToTag, String contact, String sdp) {
        String body = sdp == null ? "" : sdp;
        boolean initial = withToTag == null && method.equals("INVITE");
        return method + " " + (withToTag == null ? "sip:agent@127.0.0.1:5060" : "sip:gateway@203.0.113.5:5060")
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + ";rport\r\n"
                + (initial && recordRoute
                        ? "Record-Route: <sip:192.0.2.20:5070;lr>\r\nRecord-Route: <sip:192.0.2.30;lr>\r\n" : "")
                + "Max-Forwards: 70\r\n"
                + (initial ? inviteHeaders : "")
                + "From: \"Alice\" <sip:alice@example.com>;tag=" + SipTestMessages.FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>" + (withToTag == null ? "" : ";tag=" + withToTag) + "\r\n"
                + "Call-ID: " + SipTestMessages.CALL_ID + "\r\n"
                + "CSeq: " + number + " " + method + "\r\n"
                + (contact == null ? "" : "Contact: " + contact + "\r\n")
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n"
                + body;
    }

    /**
     * An SDP from the caller: session version {@code version}, connection {@code address}, the m= line
     * {@code mLine}, then {@code attributes} (a= lines without the "a=").
     */
    static String sdp(int version, String address, String mLine, String... attributes) {
        StringBuilder sdp = new StringBuilder("v=0\r\n")
                .append("o=alice 2890844526 ").append(version).append(" IN IP4 192.0.2.10\r\n")
                .append("s=-\r\n")
                .append("c=IN IP4 ").append(address).append("\r\n")
                .append("t=0 0\r\n")
                .append(mLine).append("\r\n");
        for (String attribute : attributes) {
            sdp.append("a=").append(attribute).append("\r\n");
        }
        return sdp.toString();
    }

    /** The caller's usual audio at 192.0.2.10:49170 (PCMU, PCMA, telephone-event 101) with {@code extra} attributes. */
    static String audio(int version, String... extra) {
        String[] attributes = new String[3 + extra.length];
        attributes[0] = "rtpmap:0 PCMU/8000";
        attributes[1] = "rtpmap:8 PCMA/8000";
        attributes[2] = "rtpmap:101 telephone-event/8000";
        System.arraycopy(extra, 0, attributes, 3, extra.length);
        return sdp(version, "192.0.2.10", "m=audio 49170 RTP/AVP 0 8 101", attributes);
    }

    /**
     * Our SDP as the gateway writes it at 203.0.113.5:40000: o= numbers, m= formats, {@code lines}, ptime, direction.
     */
    static String gatewaySdp(long sessionId, long version, String formats, String direction, String... lines) {
        StringBuilder sdp = new StringBuilder("v=0\r\n")
                .append("o=gateway ").append(sessionId).append(' ').append(version).append(" IN IP4 203.0.113.5\r\n")
                .append("s=gateway\r\n")
                .append("c=IN IP4 203.0.113.5\r\n")
                .append("t=0 0\r\n")
                .append("m=audio 40000 RTP/AVP ").append(formats).append("\r\n");
        for (String line : lines) {
            sdp.append("a=").append(line).append("\r\n");
        }
        return sdp.append("a=ptime:20\r\n").append("a=").append(direction).append("\r\n").toString();
    }

    /** Our answer to {@link #audio}: PCMU and telephone-event 101. */
    static String gatewayAnswer(long sessionId, long version, String direction) {
        return gatewaySdp(sessionId, version, "0 101", direction,
                "rtpmap:0 PCMU/8000", "rtpmap:101 telephone-event/8000", "fmtp:101 0-15");
    }

    /** The session id of o= in {@code message}'s SDP body. */
    static long sessionId(String message) {
        return Long.parseLong(origin(message)[0]);
    }

    /** The session version of o= in {@code message}'s SDP body. */
    static long version(String message) {
        return Long.parseLong(origin(message)[1]);
    }

    private static String[] origin(String message) {
        String body = UdpHarness.body(message);
        int start = body.indexOf("o=gateway ") + "o=gateway ".length();
        return body.substring(start, body.indexOf(" IN ", start)).split(" ");
    }
}
