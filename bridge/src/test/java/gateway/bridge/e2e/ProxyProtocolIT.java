package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol on the TCP listener, with raw SIP over a socket behind a v1 header: the address the header
 * names decides the allow-list and lands in call.json; a header from an address not trusted closes the connection.
 */
@Tag("e2e")
class ProxyProtocolIT {

    private static final int RTP_MIN = 33_400;
    private static final int READ_TIMEOUT_MS = 20_000;

    @TempDir
    Path recordings;

    private static String invite(int port, String callId) {
        String sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 39990 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:agent@127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:45000;branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:caller@192.0.2.77>;tag=c1\r\nTo: <sip:agent@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:45000;transport=tcp>\r\n"
                + "Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n"
                + sdp;
    }

    private static String inDialog(String method, int cseq, int port, String callId, String toTag) {
        return method + " sip:gateway@127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:45000;branch=z9hG4bK-" + method + callId + "\r\n"
                + "From: <sip:caller@192.0.2.77>;tag=c1\r\nTo: <sip:agent@127.0.0.1>;tag=" + toTag + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " " + method + "\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The next final response on the stream (provisional ones skipped), as text. */
    private static String finalResponse(InputStream in) throws IOException {
        while (true) {
            String message = readMessage(in);
            if (!message.startsWith("SIP/2.0 1")) {
                return message;
            }
        }
    }

    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static String toTag(String response) {
        for (String line : response.split("\r\n")) {
            if (line.startsWith("To:")) {
                return line.substring(line.indexOf(";tag=") + 5).split("[;\\s]")[0];
            }
        }
        throw new AssertionError("no To tag in " + response);
    }

    @Test
    void theAddressOfATrustedHeaderIsAllowedRecordedAndRefused() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--sip.allowed-sources=192.0.2.0/24", "--sip.proxy-protocol.trusted=127.0.0.0/8"))) {
            int port = gw.sipPort();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                OutputStream out = socket.getOutputStream();
                out.write(("PROXY TCP4 192.0.2.77 127.0.0.1 40000 " + port + "\r\n" + invite(port, "proxied-1"))
                        .getBytes(StandardCharsets.US_ASCII));
                String ok = finalResponse(socket.getInputStream());
                assertTrue(ok.startsWith("SIP/2.0 200"), ok);
                assertTrue(ok.contains("received=192.0.2.77"), "Via received is the proxied source: " + ok);
                String tag = toTag(ok);
                out.write((inDialog("ACK", 1, port, "proxied-1", tag) + inDialog("BYE", 2, port, "proxied-1", tag))
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(finalResponse(socket.getInputStream()).startsWith("SIP/2.0 200"));
            }
            Path call = Recordings.awaitFinished(recordings, 1, Duration.ofSeconds(20)).get(0);
            assertEquals("192.0.2.77:40000", new ObjectMapper().readTree(call.resolve("call.json").toFile())
                    .path("source").asText(), "call.json names the caller the header named");

            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                socket.getOutputStream().write(("PROXY TCP4 203.0.113.9 127.0.0.1 40001 " + port + "\r\n"
                        + invite(port, "proxied-2")).getBytes(StandardCharsets.US_ASCII));
                String refused = finalResponse(socket.getInputStream());
                assertTrue(refused.startsWith("SIP/2.0 403"), "the proxied source is not allowed: " + refused);
            }
            assertEquals(1, gw.agent().connections(), "no Realtime session for the refused caller");
        }
    }

    @Test
    void aHeaderFromAnAddressNotTrustedClosesTheConnection() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN + 50, recordings,
                List.of("--sip.proxy-protocol.trusted=192.0.2.1"))) {
            int port = gw.sipPort();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                socket.getOutputStream().write(("PROXY TCP4 192.0.2.77 127.0.0.1 40000 " + port + "\r\n"
                        + invite(port, "untrusted-1")).getBytes(StandardCharsets.US_ASCII));
                int first;
                try {
                    first = socket.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the gateway neither answered nor closed", e);
                } catch (IOException reset) {
                    first = -1;
                }
                assertEquals(-1, first, "closed without an answer");
            }
            assertEquals(0, gw.agent().connections());
            assertEquals(0, Recordings.callDirs(recordings).size());
        }
    }
}
