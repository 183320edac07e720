package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real UDP exchange on 127.0.0.1 between an RtpSession and a plain DatagramSocket peer. */
class RtpSessionIntegrationTest {

    private static final int PACKETS = 50;

    @Test
    void opensAnEpollChannelOnAnEpollLoop() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll not available here");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            RtpSession session = RtpSession.open(loop, InetAddress.getLoopbackAddress(), 0,
                    RtpStreamSpec.sendRecv(G711.PCMA, -1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)),
                    new PacingWheel(Scheduler.on(loop)), new TestPackets.RecordingListener(), RtpSettings.DEFAULTS)
                    .get(5, TimeUnit.SECONDS);
            assertTrue(session.localAddress().getPort() > 0);
            session.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void receivesATonePacesPacketsAndLatchesToThePeer() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket decoy = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            EventLoop loop = group.next();
            short[] timeline = new short[24_000 * 3];
            CountDownLatch received = new CountDownLatch(PACKETS);
            long[] firstPosition = {-1};
            AtomicReference<Throwable> fault = new AtomicReference<>();
            MediaListener listener = new MediaListener() {
                @Override
                public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                    if (firstPosition[0] < 0) {
                        firstPosition[0] = position;
                    }
                    long at = position - firstPosition[0];
                    if (at >= 0 && at + length <= timeline.length) {
                        System.arraycopy(pcm24k, offset, timeline, (int) at, length);
                    }
                    received.countDown();
                }

                @Override
                public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                    return false;
                }

                @Override
                public void onMediaFault(Throwable error) {
                    fault.set(error);
                }
            };
            // SDP points at the decoy; the session must switch to the peer once its RTP arrives.
            RtpSession session = RtpSession.open(loop, loopback, 0, RtpStreamSpec.sendRecv(G711.PCMU, 101,
                    (InetSocketAddress) decoy.getLocalSocketAddress()), new PacingWheel(Scheduler.on(loop)), listener,
                    RtpSettings.DEFAULTS)
                    .get(5, TimeUnit.SECONDS);
            try {
                session.start(System.nanoTime());
                InetSocketAddress sessionAddress = new InetSocketAddress(loopback, session.localAddress().getPort());
                for (int i = 0; i < PACKETS; i++) {
                    byte[] rtp = TestPackets.rtp(0, 100 + i, 8000 + 160L * i, 0x1234,
                            TestPackets.ulawTone(1000, 10_000, 160 * i, 160));
                    peer.send(new DatagramPacket(rtp, rtp.length, sessionAddress));
                }
                assertTrue(received.await(5, TimeUnit.SECONDS), "listener got all packets; received "
                        + session.packetsReceived() + ", before start " + session.packetsBeforeStart()
                        + ", ignored " + session.packetsIgnored() + ", malformed " + session.malformed()
                        + ", late " + session.packetsDroppedLate() + ", sent " + session.packetsSent());

                int samples = PACKETS * 480;
                assertEquals(1000, Signals.dominantFrequency(timeline, 480, samples, 24_000, 50, 12_000), 0.1);
                double[] tone = Signals.fit(timeline, 480, samples, 1000, 24_000);
                assertEquals(10_000, tone[0], 300); // μ-law quantisation only

                peer.setSoTimeout(2000);
                byte[] buf = new byte[1500];
                int previousSeq = -1;
                long previousTs = -1;
                for (int i = 0; i < 10; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    peer.receive(p);
                    assertEquals(session.localAddress().getPort(), p.getPort());
                    assertEquals(172, p.getLength());
                    assertEquals((byte) 0x80, buf[0]);
                    assertEquals(0, buf[1] & 0x7F);
                    int seq = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
                    long ts = ((buf[4] & 0xFFL) << 24) | ((buf[5] & 0xFF) << 16) | ((buf[6] & 0xFF) << 8)
                            | (buf[7] & 0xFF);
                    if (previousSeq >= 0) {
                        assertEquals(SequenceNumbers.next(previousSeq), seq);
                        assertEquals((previousTs + 160) & 0xFFFF_FFFFL, ts);
                    }
                    previousSeq = seq;
                    previousTs = ts;
                }
                assertEquals(peer.getLocalSocketAddress(), session.remote());
                assertTrue(session.latched());
                assertEquals(PACKETS, session.packetsReceived());
                assertEquals(0, session.packetsLost());
                assertNull(fault.get());
            } finally {
                session.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!session.isClosed() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(session.isClosed());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
