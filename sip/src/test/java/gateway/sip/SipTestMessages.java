package gateway.sip;

/** SIP messages for the tests, built like a caller at 192.0.2.10:5062 would send them. */
final class SipTestMessages {

    static final String CALL_ID = "call-1@192.0.2.10";
    static final String FROM_TAG = "caller-tag-1";
    static final String OFFER = "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\n"
            + "m=audio 49170 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-15\r\n";

    private SipTestMessages() {
    }

    static String invite(String branch, String sdp) {
        String body = sdp == null ? "" : sdp;
        return "INVITE sip:agent@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + ";rport\r\n"
                + "Record-Route: <sip:192.0.2.20:5070;lr>\r\n"
                + "Record-Route: <sip:192.0.2.30;lr>\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=" + FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>\r\n"
                + "Call-ID: " + CALL_ID + "\r\n"
                + "CSeq: 101 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.10:5062>\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n"
                + body;
    }

    static String ack(String branch, String toTag, String cseqMethodNumber) {
        return "ACK sip:gateway@203.0.113.5:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=" + FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>;tag=" + toTag + "\r\n"
                + "Call-ID: " + CALL_ID + "\r\n"
                + "CSeq: " + cseqMethodNumber + " ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static String bye(String branch, String toTag) {
        return inDialog("BYE", branch, toTag, 102, CALL_ID);
    }

    static String inDialog(String method, String branch, String toTag, int cseq, String callId) {
        return method + " sip:gateway@203.0.113.5:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=" + FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static String cancel(String branch) {
        return "CANCEL sip:agent@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=" + FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>\r\n"
                + "Call-ID: " + CALL_ID + "\r\n"
                + "CSeq: 101 CANCEL\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static String options(String branch) {
        return "OPTIONS sip:agent@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@example.com>;tag=probe1\r\n"
                + "To: <sip:agent@example.net>\r\n"
                + "Call-ID: options-" + branch + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The response for {@code response} to our request {@code request} (Via, From, To, Call-ID, CSeq copied). */
    static String responseTo(String request, int status, String reason) {
        StringBuilder text = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String name : new String[] {"Via", "From", "To", "Call-ID", "CSeq"}) {
            text.append(name).append(": ").append(UdpHarness.header(request, name)).append("\r\n");
        }
        return text.append("Content-Length: 0\r\n\r\n").toString();
    }
}
