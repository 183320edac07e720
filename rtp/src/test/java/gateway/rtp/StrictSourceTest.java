package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.testkit.Await;
import gateway.testkit.PortRefusal;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whose RTP a session hears, on real UDP sockets on 127.0.0.1. On the epoll transport and an explicit port (as the
 * gateway opens them), once the caller's first packet has latched, the socket is connected to it and the kernel
 * refuses everyone else (ICMP port unreachable, which the other sender's own connected socket reports); a new SDP
 * address opens it again; the caller's port closing does not stop the session. With
 * {@code rtp.strict-source=false}, on the NIO transport and on an ephemeral port every source is heard.
 */
class StrictSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Explicit ports are tried from here, two apart (RTCP takes the next one), until one binds. */
    private static final int FIRST_PORT = 46_000;
    private static final int PORTS_TRIED = 200;

    private static IoHandlerFactory transport(String name) {
        if (name.equals("epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll not available here");
            return EpollIoHandler.newFactory();
        }
        return NioIoHandler.newFactory();
    }

    private static byte[] packet(int sequence, int ssrc) {
        return TestPackets.rtp(0, sequence, 160L * sequence, ssrc, TestPackets.ulawTone(1000, 8000, 0, 160));
    }

    private static void send(DatagramSocket from, int sequence, int ssrc, InetSocketAddress to) throws Exception {
        byte[] rtp = packet(sequence, ssrc);
        from.send(new DatagramPacket(rtp, rtp.length, to));
    }

    private static void awaitReceived(RtpSession session, long count) throws InterruptedException {
        Await.until(() -> session.packetsReceived() == count, WAIT,
                () -> "packets received " + session.packetsReceived() + ", expected " + count);
    }

    /** Sends from {@code from}, connected to the session, and expects the kernel's refusal back on it. */
    private static void assertRefused(DatagramSocket from, InetSocketAddress session) throws Exception {
        from.connect(session);
        send(from, 900, 0xBAD, session);
        PortRefusal.await(from, WAIT);
    }

    private record Fixture(MultiThreadIoEventLoopGroup group, RtpSession session, InetSocketAddress address,
                           AtomicReference<Throwable> fault) implements AutoCloseable {

        /** A session on the first free explicit port, or on an ephemeral one if {@code explicitPort} is false. */
        static Fixture open(String transport, InetSocketAddress sdpRemote, boolean strict, boolean explicitPort)
                throws Exception {
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport(transport));
            EventLoop loop = group.next();
            AtomicReference<Throwable> fault = new AtomicReference<>();
            TestPackets.RecordingListener listener = new TestPackets.RecordingListener() {
                @Override
                public void onMediaFault(Throwable error) {
                    fault.set(error);
                }
            };
            RtpSession session = null;
            for (int port = explicitPort ? FIRST_PORT : 0; session == null; port += 2) {
                try {
                    session = RtpSession.open(loop, LOOPBACK, port, RtpStreamSpec.sendRecv(G711.PCMU, 101, sdpRemote),
                            new PacingWheel(Scheduler.on(loop)), listener,
                            new RtpSettings(0, InstantSource.system(), strict)).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException taken) {
                    if (!explicitPort || port >= FIRST_PORT + PORTS_TRIED) {
                        throw taken;
                    }
                }
            }
            session.start(System.nanoTime());
            return new Fixture(group, session, new InetSocketAddress(LOOPBACK, session.localAddress().getPort()),
                    fault);
        }

        @Override
        public void close() {
            session.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void onceLatchedOnlyTheCallerIsHeardUntilANewSdpAddress() throws Exception {
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                Fixture call = Fixture.open("epoll", (InetSocketAddress) caller.getLocalSocketAddress(), true, true)) {
            RtpSession session = call.session();
            assertNull(session.connectedSource(), "nothing latched yet: every source is heard");

            send(caller, 1, 0x1111, call.address());
            Await.until(() -> session.connectedSource() != null, WAIT, () -> "not connected");
            assertEquals(caller.getLocalSocketAddress(), session.connectedSource());
            assertEquals(caller.getLocalSocketAddress(), session.remote());

            assertRefused(other, call.address());
            send(caller, 2, 0x1111, call.address());
            awaitReceived(session, 2);

            // Our packets still reach the caller, from the session's port, with no destination of their own.
            caller.setSoTimeout((int) WAIT.toMillis());
            byte[] buffer = new byte[1500];
            DatagramPacket ours = new DatagramPacket(buffer, buffer.length);
            caller.receive(ours);
            assertEquals(call.address().getPort(), ours.getPort());
            assertEquals(172, ours.getLength());

            // A re-INVITE moves the media to the other address: every source is heard again until it latches.
            session.update(RtpStreamSpec.sendRecv(G711.PCMU, 101, (InetSocketAddress) other.getLocalSocketAddress()));
            Await.until(() -> session.connectedSource() == null, WAIT, () -> "still connected");
            send(other, 3, 0x2222, call.address());
            awaitReceived(session, 3);
            Await.until(() -> other.getLocalSocketAddress().equals(session.connectedSource()), WAIT,
                    () -> "connected to " + session.connectedSource());
            assertRefused(caller, call.address());
            assertEquals(3, session.packetsReceived());
            assertNull(call.fault().get());
        }
    }

    @Test
    void theCallersPortClosingDoesNotStopTheSession() throws Exception {
        DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        try (Fixture call = Fixture.open("epoll", (InetSocketAddress) caller.getLocalSocketAddress(), true, true)) {
            RtpSession session = call.session();
            send(caller, 1, 0x1111, call.address());
            Await.until(() -> session.connectedSource() != null, WAIT, () -> "not connected");
            caller.close(); // our next packets draw ICMP port unreachable, reported on the connected socket
            long sent = session.packetsSent();
            Await.until(() -> session.packetsSent() >= sent + 10, WAIT,
                    () -> "packets sent " + session.packetsSent() + " since " + sent);
            assertFalse(session.isClosed());
            assertNull(call.fault().get());
        } finally {
            caller.close();
        }
    }

    /** Strict source off; strict on but NIO; strict on but an ephemeral port. */
    @ParameterizedTest
    @CsvSource({"epoll, false, true", "nio, true, true", "epoll, true, false"})
    void everySourceIsHeardWhereTheSocketIsNotConnected(String transport, boolean strict, boolean explicitPort)
            throws Exception {
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                Fixture call = Fixture.open(transport, (InetSocketAddress) caller.getLocalSocketAddress(), strict,
                        explicitPort)) {
            RtpSession session = call.session();
            send(caller, 1, 0x1111, call.address());
            awaitReceived(session, 1);
            send(other, 2, 0x1111, call.address());
            awaitReceived(session, 2);
            assertNull(session.connectedSource());
            assertEquals(caller.getLocalSocketAddress(), session.remote(), "replies still go to the first source");
        }
    }
}
