package gateway.bridge.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Sends hand-written SIP datagrams (including malformed ones SIPp cannot produce on purpose) from a socket on
 * 127.0.0.1 and reads the replies. Threading: one test thread.
 */
final class RawSipClient implements AutoCloseable {

    /** Larger than any SIP datagram the gateway may send back. */
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    RawSipClient(int serverPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /**
     * An INVITE from {@code user} at this client to agent@ the gateway, its Call-ID and From tag {@code callId},
     * offering PCMU at 127.0.0.1:{@code rtpPort}.
     */
    String invite(String user, String callId, int rtpPort) {
        String sdp = "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtpPort + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return """
                INVITE sip:agent@127.0.0.1:%1$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=z9hG4bK-%3$s-1;rport
                Max-Forwards: 70
                From: <sip:%5$s@127.0.0.1:%2$d>;tag=%3$s
                To: <sip:agent@127.0.0.1:%1$d>
                Call-ID: %3$s
                CSeq: 1 INVITE
                Contact: <sip:%5$s@127.0.0.1:%2$d>
                Content-Type: application/sdp
                Content-Length: %4$d

                """.formatted(server.getPort(), localPort(), callId, sdp.length(), user) + sdp;
    }

    /**
     * A request of {@code method} in the dialog {@link #invite} opened and the 200's {@code to} closed, with CSeq
     * {@code cseq} and {@code branch} appended to the branch parameter.
     */
    String inDialog(String user, String callId, String to, String method, int cseq, String branch) {
        return """
                %5$s sip:agent@127.0.0.1:%1$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=z9hG4bK-%3$s%6$s;rport
                Max-Forwards: 70
                From: <sip:%8$s@127.0.0.1:%2$d>;tag=%3$s
                To: %4$s
                Call-ID: %3$s
                CSeq: %7$d %5$s
                Content-Length: 0

                """.formatted(server.getPort(), localPort(), callId, to, method, branch, cseq, user);
    }

    /** Sends {@link #invite} and returns the gateway's final response to it: its 200, or a refusal. */
    SipMessage call(String user, String callId, int rtpPort, Duration timeout) throws IOException {
        send(invite(user, callId, rtpPort));
        return awaitFinalResponse(timeout);
    }

    /**
     * As {@link #call}, for a call the gateway must answer: fails unless the final response is a 200, acknowledges
     * it (RFC 3261 §13.2.2.4) and returns it.
     */
    SipMessage answeredCall(String user, String callId, int rtpPort, Duration timeout) throws IOException {
        SipMessage ok = call(user, callId, rtpPort, timeout);
        if (ok.statusCode() != 200) {
            throw new AssertionError("INVITE " + callId + " answered " + ok);
        }
        sendInDialog(user, callId, ok, "ACK", 1, "-ack");
        return ok;
    }

    /** Sends {@link #inDialog} in the dialog of {@code response} to the INVITE (its To carries the gateway's tag). */
    void sendInDialog(String user, String callId, SipMessage response, String method, int cseq, String branch)
            throws IOException {
        send(inDialog(user, callId, response.header("To").orElseThrow(), method, cseq, branch));
    }

    /** Sends {@code text} with LF line ends turned into CRLF. */
    void send(String text) throws IOException {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /**
     * Answers {@code request} from the gateway (a BYE of its own) with {@code 200 OK}, its Via, From, To, Call-ID and
     * CSeq copied (RFC 3261 §8.2.6.2).
     */
    void answerOk(SipMessage request) throws IOException {
        send("SIP/2.0 200 OK\n"
                + "Via: " + request.header("Via").orElseThrow() + "\n"
                + "From: " + request.header("From").orElseThrow() + "\n"
                + "To: " + request.header("To").orElseThrow() + "\n"
                + "Call-ID: " + request.header("Call-ID").orElseThrow() + "\n"
                + "CSeq: " + request.header("CSeq").orElseThrow() + "\n"
                + "Content-Length: 0\n\n");
    }

    /** The next provisional response with {@code status}, skipping other messages; fails after {@code timeout}. */
    SipMessage awaitProvisional(int status, Duration timeout) throws IOException {
        return await(m -> m.isResponse() && m.statusCode() == status, status + " response", timeout);
    }

    /** The next final (non-1xx) response, skipping provisional ones; fails after {@code timeout}. */
    SipMessage awaitFinalResponse(Duration timeout) throws IOException {
        return await(m -> m.isResponse() && m.statusCode() >= 200, "final response", timeout);
    }

    /** The next request of {@code method}, skipping other messages; fails after {@code timeout}. */
    SipMessage awaitRequest(String method, Duration timeout) throws IOException {
        return await(m -> !m.isResponse() && m.method().equals(method), method + " request", timeout);
    }

    private SipMessage await(Predicate<SipMessage> wanted, String what, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[MAX_DATAGRAM];
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            socket.setSoTimeout((int) leftMs);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + what + " within " + timeout, e);
            }
            SipMessage m = SipMessage.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                    null, true);
            if (wanted.test(m)) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
