package gateway.sip;

import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1 with a real NIO event loop group. */
class SipServerIntegrationTest {

    private static final int TIMEOUT_MS = 5000;

    @Test
    void answersOptionsOverUdpAndTcpAndSurvivesGarbage() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (SipServer server = SipServer.start(new SipServerSettings("127.0.0.1", 0, "127.0.0.1", "it-gw"), group, call -> { })
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

                String bad = exchange(udp, target, SipTestMessages.options("z9hG4bK-it-2").replace("OPTIONS sip:", "OPTIONS  sip:"));
                assertEquals("SIP/2.0 400 Malformed Request-Line", bad.substring(0, bad.indexOf("\r\n")));
                assertEquals(200, status(exchange(udp, target, SipTestMessages.options("z9hG4bK-it-3"))));
            }
            try (Socket tcp = new Socket()) {
                tcp.connect(target, TIMEOUT_MS);
                tcp.setSoTimeout(TIMEOUT_MS);
                tcp.getOutputStream().write(SipTestMessages.options("z9hG4bK-it-tcp").replace("SIP/2.0/UDP", "SIP/2.0/TCP")
                        .getBytes(StandardCharsets.UTF_8));
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
