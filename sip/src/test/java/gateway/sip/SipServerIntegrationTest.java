package gateway.sip;

import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1 with a real NIO event loop group. */
class SipServerIntegrationTest {

    private static final int TIMEOUT_MS = 5000;

    @Test
    @SuppressWarnings("try") // closes the server twice on purpose: close is idempotent
    void answersOptionsOverUdpAndTcpAndSurvivesGarbage() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (SipServer server = SipServer.start(
                        new SipServerSettings("127.0.0.1", 0, "127.0.0.1", "it-gw"), group, call -> { })
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            assertEquals(server.udpPort(), server.tcpPort());
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.udpPort());
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(TIMEOUT_MS);
                String ok = exchange(udp, target, SipTestMessages.options("z9hG4bK-it-1"));
                assertEquals(200, status(ok));
                assertEquals("it-gw", header(ok, "Server"));
                assertEquals("application/sdp", header(ok, "Accept"));
                assertTrue(header(ok, "Via").contains("received=127.0.0.1"), header(ok, "Via"));

                String bad = exchange(udp, target,
                        SipTestMessages.options("z9hG4bK-it-2").replace("OPTIONS sip:", "OPTIONS  sip:"));
                assertEquals("SIP/2.0 400 Malformed Request-Line", bad.substring(0, bad.indexOf("\r\n")));
                assertEquals(200, status(exchange(udp, target, SipTestMessages.options("z9hG4bK-it-3"))));
            }
            try (Socket tcp = new Socket()) {
                tcp.connect(target, TIMEOUT_MS);
                tcp.setSoTimeout(TIMEOUT_MS);
                tcp.getOutputStream().write(SipTestMessages.options("z9hG4bK-it-tcp")
                        .replace("SIP/2.0/UDP", "SIP/2.0/TCP").getBytes(StandardCharsets.UTF_8));
                String ok = readResponse(tcp.getInputStream());
                assertEquals(200, status(ok));
                assertEquals("1 OPTIONS", header(ok, "CSeq"));
                assertTrue(header(ok, "Via").startsWith("SIP/2.0/TCP"), header(ok, "Via"));
            }
            server.close();
            server.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void ourByeOverTcpGoesOutOnANewConnectionToTheContactWhenTheCallersConnectionClosed() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CompletableFuture<InboundCall> answered = new CompletableFuture<>();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        CompletableFuture<Void> terminated = new CompletableFuture<>();
        CallListener listener = new CallListener() {
            @Override public void onAck() {
                acked.complete(null);
            }
            @Override public void onMediaChanged(NegotiatedMedia media) { }
            @Override public void onMediaFailed(String reason) { }
            @Override public void onRemoteBye() { }
            @Override public void onCancel() { }
            @Override public void onAckTimeout() { }
            @Override public void onSessionExpired() { }
            @Override public void onNotify(InDialogNotify notify) { }
            @Override public void onTerminated() {
                terminated.complete(null);
            }
        };
        CallHandler handler = call -> {
            call.setListener(listener);
            call.answer("127.0.0.1", 40000).thenAccept(sent -> answered.complete(call));
        };
        try (SipServer server = SipServer.start(
                        new SipServerSettings("127.0.0.1", 0, "127.0.0.1", "it-gw"), group, handler)
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
             ServerSocket contact = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            contact.setSoTimeout(TIMEOUT_MS);
            String contactUri = "sip:alice@127.0.0.1:" + contact.getLocalPort() + ";transport=tcp";
            String toTag;
            try (Socket tcp = new Socket()) {
                tcp.connect(new InetSocketAddress("127.0.0.1", server.tcpPort()), TIMEOUT_MS);
                tcp.setSoTimeout(TIMEOUT_MS);
                InputStream in = tcp.getInputStream();
                tcp.getOutputStream().write(
                        tcpRequest("INVITE", null, contactUri, SipTestMessages.OFFER, contact.getLocalPort()));
                assertEquals(100, status(readMessage(in)));
                String ok = readMessage(in);
                assertEquals(200, status(ok));
                assertEquals("<sip:gateway@127.0.0.1:" + server.tcpPort() + ";transport=tcp>", header(ok, "Contact"));
                toTag = UdpHarness.tag(header(ok, "To"));
                answered.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                tcp.getOutputStream().write(tcpRequest("ACK", toTag, null, null, contact.getLocalPort()));
                acked.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                tcp.shutdownOutput();
                assertEquals(-1, in.read(), "the server closed its side of the caller's connection");
            }
            answered.get().hangup();
            try (Socket byeConnection = contact.accept()) {
                byeConnection.setSoTimeout(TIMEOUT_MS);
                String bye = readMessage(byeConnection.getInputStream());
                assertEquals("BYE " + contactUri + " SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
                assertTrue(
                        header(bye, "Via").startsWith("SIP/2.0/TCP 127.0.0.1:" + server.tcpPort() + ";branch=z9hG4bK"),
                        header(bye, "Via"));
                assertEquals("1 BYE", header(bye, "CSeq"));
                assertEquals(toTag, UdpHarness.tag(header(bye, "From")));
                assertFalse(terminated.isDone(), "the call ends with the BYE's response, not before");
                byeConnection.getOutputStream()
                        .write(SipTestMessages.responseTo(bye, 200, "OK").getBytes(StandardCharsets.UTF_8));
                terminated.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A request of a TCP caller listening on 127.0.0.1:{@code listenPort}; {@code toTag} null for the INVITE. */
    private static byte[] tcpRequest(String method, String toTag, String contact, String sdp, int listenPort) {
        String body = sdp == null ? "" : sdp;
        return (method + " sip:agent@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + listenPort + ";branch=z9hG4bK-tcp-" + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=" + SipTestMessages.FROM_TAG + "\r\n"
                + "To: <sip:agent@example.net>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: tcp-call@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (contact == null ? "" : "Contact: <" + contact + ">\r\n")
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one message from a stream: headers to the empty line, then Content-Length bytes of body. */
    private static String readMessage(InputStream in) throws Exception {
        String head = readResponse(in);
        String length = header(head, "Content-Length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static String exchange(DatagramSocket socket, InetSocketAddress target, String request) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
        byte[] buffer = new byte[8192];
        DatagramPacket response = new DatagramPacket(buffer, buffer.length);
        socket.receive(response);
        return new String(buffer, 0, response.getLength(), StandardCharsets.UTF_8);
    }

    /** Reads one response with Content-Length 0 (headers up to the empty line). */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
