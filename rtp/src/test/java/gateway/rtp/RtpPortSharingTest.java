package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Await;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import gateway.time.Scheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.lang.System.Logger.Level;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An RTP session's port as a softphone uses it: STUN Binding requests among its RTP (linphone sends them before and
 * beside its media), answered and never seen by SRTP or the RTP checks; and an SDP address the socket cannot reach,
 * replaced by latching without a word above debug.
 */
class RtpPortSharingTest {

    private static final InetSocketAddress PHONE = new InetSocketAddress("192.0.2.10", 7102);
    private static final byte[] BINDING_REQUEST = HexFormat.of().parseHex("00010000" + "2112a442"
            + "0102030405060708090a0b0c");
    private static final SrtpMasterKey THEIRS = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            TestPackets.filled(30, 0x11));
    private static final SrtpMasterKey OURS = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            TestPackets.filled(30, 0x22));

    @Test
    void stunOnAnSrtpPortIsAnsweredBeforeSrtpAndRtpSeeIt() {
        ManualScheduler clock = new ManualScheduler(0);
        EmbeddedChannel channel = new EmbeddedChannel();
        TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
        try (LogCapture log = LogCapture.of("gateway.rtp")) {
            RtpStreamSpec spec = new RtpStreamSpec(G711.PCMU, 0, 101, true, true, PHONE,
                    RtpStreamSpec.DEFAULT_PTIME_MS, false, null, new SrtpKeys(THEIRS, OURS));
            RtpSession session = RtpSession.attach(channel, spec, new PacingWheel(clock), listener);
            for (int i = 0; i < 3; i++) {
                channel.writeInbound(TestPackets.datagram(BINDING_REQUEST.clone(), PHONE,
                        new InetSocketAddress("127.0.0.1", 10000)));
            }
            for (int i = 0; i < 3; i++) {
                DatagramPacket answer = channel.readOutbound();
                assertEquals(PHONE, answer.recipient());
                assertEquals("0101000c2112a442", HexFormat.of().formatHex(ByteBufUtil.getBytes(answer.content(), 0, 8)),
                        "a Binding success response in the clear, not an SRTP packet");
                answer.release();
            }
            assertEquals(3, session.stunAnswered());
            assertEquals(0, session.srtpInvalid(), "SRTP never saw the STUN");
            assertEquals(0, session.malformed(), "the RTP checks never saw it");
            assertFalse(session.latched(), "STUN does not latch the media");
            assertTrue(log.lines().stream().noneMatch(l -> l.level().getSeverity() > Level.DEBUG.getSeverity()),
                    "nothing logged above debug: " + log.lines());
            session.close();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void anSdpAddressOfTheOtherFamilyWaitsForTheCallersPackets() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket phone = new DatagramSocket(new InetSocketAddress(loopback, 0));
                LogCapture log = LogCapture.of("gateway.rtp")) {
            EventLoop loop = group.next();
            // linphone's offer: its IPv6 ULA in c=, while it calls (and sends RTP) over IPv4.
            InetSocketAddress ula = new InetSocketAddress(InetAddress.getByName("fd00::2"), phone.getLocalPort());
            RtpSession session = RtpSession.open(loop, loopback, 0, RtpStreamSpec.sendRecv(G711.PCMU, 101, ula),
                    new PacingWheel(Scheduler.on(loop)), new TestPackets.RecordingListener(), RtpSettings.DEFAULTS)
                    .get(5, TimeUnit.SECONDS);
            try {
                assertNull(session.remote(), "no address to send to before the caller's packets");
                session.start(System.nanoTime());
                Await.until(() -> session.sendsNoRemote() >= 3, Duration.ofSeconds(5),
                        () -> "ticks with nowhere to go: " + session.sendsNoRemote());
                assertEquals(0, session.packetsSent());
                InetSocketAddress rtpPort = new InetSocketAddress(loopback, session.localAddress().getPort());
                byte[] rtp = TestPackets.rtp(0, 1, 160, 0x77, TestPackets.ulawTone(440, 8000, 0, 160));
                phone.send(new java.net.DatagramPacket(rtp, rtp.length, rtpPort));
                Await.until(() -> session.packetsReceived() == 1, Duration.ofSeconds(5),
                        () -> "packets received " + session.packetsReceived());
                assertNull(session.remote(), "one packet from another host than the SDP's does not latch");
                rtp = TestPackets.rtp(0, 2, 320, 0x77, TestPackets.ulawTone(440, 8000, 160, 160));
                phone.send(new java.net.DatagramPacket(rtp, rtp.length, rtpPort));
                phone.setSoTimeout(5000);
                java.net.DatagramPacket heard = new java.net.DatagramPacket(new byte[1500], 1500);
                phone.receive(heard);
                assertEquals(172, heard.getLength(), "our RTP reaches the phone at the address it sent from");
                assertEquals(phone.getLocalSocketAddress(), session.remote());
                assertTrue(log.lines().stream().noneMatch(l -> l.level().getSeverity() > Level.DEBUG.getSeverity()),
                        "nothing logged above debug: " + log.lines());
            } finally {
                session.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
