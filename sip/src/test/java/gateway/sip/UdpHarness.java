package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.time.ManualScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The UDP pipeline on an EmbeddedChannel with a ManualScheduler; datagrams in, datagrams out. */
final class UdpHarness implements AutoCloseable {

    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 5062);

    final ManualScheduler scheduler = new ManualScheduler();
    final EmbeddedChannel channel = new EmbeddedChannel();
    final SipCore core;
    final List<InboundCall> calls = new ArrayList<>();

    UdpHarness(CallHandler handler) {
        this(handler, AccessSettings.OPEN);
    }

    /** The pipeline admitting requests as {@code access} says, on the harness's manual clock. */
    UdpHarness(CallHandler handler, AccessSettings access) {
        this(handler, access, TcpConnector.NONE);
    }

    UdpHarness(CallHandler handler, AccessSettings access, TcpConnector connector) {
        RequestAdmission admission = new RequestAdmission(access, scheduler);
        core = core(channel, scheduler, admission, connector, call -> {
            calls.add(call);
            handler.onInvite(call);
        });
        SipPipelines.udp(channel.pipeline(), new AdmissionHandler(admission, core), new SipMessageParser(),
                new SipDispatcher(core));
    }

    UdpHarness() {
        this(call -> { });
    }

    /** The harness's core (its settings, port 5060) on {@code channel}'s loop and {@code scheduler}'s clock. */
    static SipCore core(EmbeddedChannel channel, ManualScheduler scheduler, RequestAdmission admission,
                        TcpConnector connector, CallHandler handler) {
        SipServerSettings settings = new SipServerSettings("127.0.0.1", 5060, "203.0.113.5", "test-gw/1.0");
        return new SipCore(settings, admission, handler, scheduler, channel.eventLoop(), () -> 5060, connector);
    }

    void send(String message) {
        send(message.getBytes(StandardCharsets.UTF_8), CALLER);
    }

    void send(byte[] message, InetSocketAddress from) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(message), LOCAL, from));
    }

    /** The next datagram sent, as text; fails if none. */
    String next() {
        return nextTo(CALLER);
    }

    /** The next datagram sent, asserting its destination. */
    String nextTo(InetSocketAddress destination) {
        DatagramPacket packet = channel.readOutbound();
        assertNotNull(packet, "expected a datagram");
        try {
            assertEquals(destination, packet.recipient());
            return packet.content().toString(StandardCharsets.UTF_8);
        } finally {
            packet.release();
        }
    }

    /** The next datagram sent, as text, or null when none is waiting. */
    String poll() {
        DatagramPacket packet = channel.readOutbound();
        if (packet == null) {
            return null;
        }
        try {
            return packet.content().toString(StandardCharsets.UTF_8);
        } finally {
            packet.release();
        }
    }

    /** Every datagram sent and not read yet, as text, oldest first, each asserted to have gone to {@code to}. */
    List<String> drainTo(InetSocketAddress to) {
        List<String> sent = new ArrayList<>();
        for (DatagramPacket packet = channel.readOutbound(); packet != null; packet = channel.readOutbound()) {
            try {
                assertEquals(to, packet.recipient());
                sent.add(packet.content().toString(StandardCharsets.UTF_8));
            } finally {
                packet.release();
            }
        }
        return sent;
    }

    /** Every datagram sent and not read yet, as text, oldest first. */
    List<String> drain() {
        List<String> sent = new ArrayList<>();
        for (String message = poll(); message != null; message = poll()) {
            sent.add(message);
        }
        return sent;
    }

    void assertNothingSent() {
        DatagramPacket packet = channel.readOutbound();
        if (packet != null) {
            String text = packet.content().toString(StandardCharsets.UTF_8);
            packet.release();
            assertNull(text, "unexpected datagram");
        }
    }

    /** Status code of a response text. */
    static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The first value of {@code name} in a message text (case-insensitive), or null. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static List<String> headers(String message, String name) {
        List<String> values = new ArrayList<>();
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    static String body(String message) {
        int end = message.indexOf("\r\n\r\n");
        return message.substring(end + 4);
    }

    static String tag(String headerValue) {
        int index = headerValue.indexOf(";tag=");
        if (index < 0) {
            return null;
        }
        String rest = headerValue.substring(index + 5);
        int semi = rest.indexOf(';');
        return semi < 0 ? rest : rest.substring(0, semi);
    }

    @Override
    public void close() {
        DatagramPacket packet;
        while ((packet = channel.readOutbound()) != null) {
            packet.release();
        }
        channel.finishAndReleaseAll();
    }
}
