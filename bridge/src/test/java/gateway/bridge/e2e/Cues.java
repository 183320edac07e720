package gateway.bridge.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

/**
 * The test's cues to one SIPp call: each is an INFO to SIPp's port with the call's Call-ID, which moves the scenario
 * past the step where it waits for one and is answered by it:
 *
 * <pre>{@code
 * <recv request="INFO" timeout="60000">
 *   <action><setdest host="127.0.0.1" port="[cue_port]" protocol="udp"/></action>
 * </recv>
 * <send> SIP/2.0 200 OK ... </send>
 * <nop><action><setdest host="[remote_ip]" port="[remote_port]" protocol="udp"/></action></nop>
 * }</pre>
 *
 * so the 200 comes to this socket ({@code -key cue_port}), not to the gateway, and the scenario then goes on. The
 * recv's timeout only ends a call whose test never cued it. Threading: the test thread that drives the call.
 */
final class Cues implements AutoCloseable {

    /** SIPp answers a cue at once; a cue unanswered this long was not expected where the scenario stood. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** Larger than any SIP response here. */
    private static final int MAX_DATAGRAM = 4096;

    private final DatagramSocket socket;
    private final int sippPort;
    private final String callId;
    private int given;

    private Cues(DatagramSocket socket, int sippPort, String callId) {
        this.socket = socket;
        this.sippPort = sippPort;
        this.callId = callId;
    }

    /** Cues for the call {@code callId} of the SIPp listening on 127.0.0.1:{@code sippPort}. */
    static Cues open(int sippPort, String callId) throws IOException {
        return new Cues(new DatagramSocket(0, InetAddress.getLoopbackAddress()), sippPort, callId);
    }

    /** Where SIPp sends its answers to cues ({@code -key cue_port}). */
    int port() {
        return socket.getLocalPort();
    }

    /**
     * Sends the next cue and waits for SIPp's 200. Give it only where SIPp surely waits for it, after an event that
     * follows the scenario's step before the cue: an INFO that SIPp does not expect ends its call. {@code after}
     * says what the test saw; {@code logDir} where SIPp's logs are, for the failure message.
     */
    void give(String after, Path logDir) throws IOException {
        given++;
        String request = String.join("\r\n",
                "INFO sip:sipp@127.0.0.1:" + sippPort + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bK-cue-" + given + ";rport",
                "Max-Forwards: 70",
                "From: <sip:test@127.0.0.1:" + port() + ">;tag=cue",
                "To: <sip:sipp@127.0.0.1:" + sippPort + ">",
                "Call-ID: " + callId,
                "CSeq: " + given + " INFO",
                "Content-Length: 0",
                "", "");
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), sippPort)));
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("SIPp did not take the cue given after " + after + " (no 200 to INFO CSeq "
                        + given + " within " + ANSWER_TIMEOUT + "); logs in " + logDir);
            }
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (SocketTimeoutException e) {
                continue;
            }
            SipMessage answer = SipMessage.parse(new String(buffer, 0, datagram.getLength(),
                    StandardCharsets.ISO_8859_1), LocalDateTime.now(), true);
            if (answer.statusCode() == 200 && answer.method().equals("INFO") && answer.cseq() == given) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
