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
