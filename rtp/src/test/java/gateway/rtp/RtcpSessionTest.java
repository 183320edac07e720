package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RTCP side of a session on the manual clock: reports go out about every 5 s from the pacer's ticks (SR while
 * we send, RR on hold), about the caller's stream, to port + 1 or, under rtcp-mux, to the RTP address over the RTP
 * socket; the caller's reports give the round-trip time and its view of our stream; closing sends a BYE.
 */
class RtcpSessionTest {

    private static final InetSocketAddress CALLER_RTP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress CALLER_RTCP = new InetSocketAddress("192.0.2.10", 4001);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long SSRC = 0x5EED_0001L;
    private static final long CALLER_SSRC = 0x0CA1_1E55L;
    /** 2026-12-01T00:00:00Z: NTP seconds 0xECFF_...; a wall clock that moves with the manual one. */
    private static final Instant WALL = Instant.parse("2026-12-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PacingWheel wheel = new PacingWheel(scheduler);
    private final RtpSenderPacingTest.Wire rtpWire = new RtpSenderPacingTest.Wire();
    private final RtpSenderPacingTest.Wire rtcpWire = new RtpSenderPacingTest.Wire();
    private final EmbeddedChannel rtpChannel = new EmbeddedChannel(rtpWire);
    private final EmbeddedChannel rtcpChannel = new EmbeddedChannel(rtcpWire);
    private final InstantSource wall = () -> WALL.plusNanos(scheduler.nanoTime());
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private RtpSession session;

    @AfterEach
    void tearDown() {
        session.close();
        assertFalse(rtpChannel.finish());
        assertFalse(rtcpChannel.finish());
    }

    private RtpSession open(boolean rtcpMux) {
        RtpStreamSpec spec = new RtpStreamSpec(G711.PCMU, 0, -1, true, true, CALLER_RTP, 20, rtcpMux, null, null);
        return RtpSession.attach(rtpChannel, rtcpChannel, spec, wheel, listener, new RtpSettings(0, wall));
    }

    /** The caller sends 20 ms packets (sequence from 1000) while the clock runs {@code ms}. */
    private void callerTalks(int fromPacket, long ms) {
        for (long t = 0; t < ms; t += 20) {
            int i = fromPacket + (int) (t / 20);
            rtpChannel.writeInbound(datagram(rtp(0, 1000 + i, 160L * i, CALLER_SSRC, new byte[160]), CALLER_RTP,
                    LOCAL));
            scheduler.advanceMillis(20);
        }
    }

    @Test
    void sendsASenderReportAboutTheCallersStreamAboutEveryFiveSecondsToPortPlusOne() {
        session = open(false);
        session.start(scheduler.nanoTime());
        callerTalks(0, 1000);
        assertTrue(rtcpWire.sent.isEmpty(), "the first report comes after half the interval, at 1.25 s at the soonest");
        callerTalks(50, 3000);                                  // by 3.75 s it has come (the next one may too)
        assertTrue(rtcpWire.sent.size() >= 1 && rtcpWire.sent.size() <= 2, rtcpWire.sent.size() + " reports in 4 s");
        RtpSenderPacingTest.Wire.Sent first = rtcpWire.sent.poll();
        rtcpWire.sent.clear();
        assertEquals(CALLER_RTCP, first.recipient());
        ByteBuf sr = Unpooled.wrappedBuffer(first.bytes());
        assertEquals(RtcpPacket.Check.VALID, RtcpPacket.check(sr, 0, sr.readableBytes()));
        assertEquals(RtcpPacket.SENDER_REPORT, RtcpPacket.packetType(sr, 0));
        assertEquals(session.ssrc(), RtcpPacket.ssrc(sr, 0));
        assertTrue(RtcpPacket.senderPackets(sr, 0) >= 60 && RtcpPacket.senderPackets(sr, 0) <= 190);
        assertEquals(RtcpPacket.senderPackets(sr, 0) * 160, RtcpPacket.senderOctets(sr, 0));
        int block = RtcpPacket.reportBlock(sr, 0, 0);
        assertEquals(CALLER_SSRC, RtcpPacket.blockSsrc(sr, block));
        assertEquals(0, RtcpPacket.blockCumulativeLost(sr, block));
        assertTrue(RtcpPacket.blockHighestSequence(sr, block) >= 1000 + 60);
        assertEquals(0, RtcpPacket.blockJitter(sr, block));      // the caller's packets came like clockwork
        int sdes = RtcpPacket.length(sr, 0);
        assertEquals(RtcpPacket.SOURCE_DESCRIPTION, RtcpPacket.packetType(sr, sdes));
        assertEquals(32, sr.getUnsignedByte(sdes + 9), "a CNAME of 32 hex digits");
        String cname = sr.toString(sdes + 10, 32, StandardCharsets.US_ASCII);
        assertTrue(cname.matches("[0-9a-f]{32}"), cname);

        callerTalks(200, 7600);                                 // then every 2.5 to 7.5 s
        int reports = rtcpWire.sent.size();
        assertTrue(reports >= 1 && reports <= 3, reports + " reports in 7.6 s");
        rtcpWire.sent.clear();
        rtpWire.sent.clear();
    }

    @Test
    void theCallersReportGivesTheRoundTripTimeAndItsViewOfOurStream() {
        session = open(false);
        session.start(scheduler.nanoTime());
        int packet = 0;
        while (rtcpWire.sent.isEmpty()) {
            callerTalks(packet++, 20);                           // our SR goes out within these 20 ms
        }
        ByteBuf sr = Unpooled.wrappedBuffer(rtcpWire.sent.poll().bytes());
        long lsr = RtcpPacket.ntpMiddle(sr, 0);
        // 300 ms later the caller's RR arrives, saying it held our SR for 250 ms: 50 to 70 ms round trip.
        scheduler.advanceMillis(300);
        ByteBuf rr = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(rr, CALLER_SSRC, 1);
        RtcpPacket.writeReportBlock(rr, session.ssrc(), 64, 3, 0x0001_0000L, 80, lsr, 65_536 / 4);
        rtcpChannel.writeInbound(new io.netty.channel.socket.DatagramPacket(rr, LOCAL, CALLER_RTCP));
        MediaQuality quality = session.quality();
        assertTrue(quality.rttMs() >= 50 && quality.rttMs() < 70, "rtt " + quality.rttMs());
        assertEquals(1, quality.remote().reports());
        assertEquals(25.0, quality.remote().fractionLost());
        assertEquals(3, quality.remote().packetsLost());
        assertEquals(10.0, quality.remote().jitterMs());
        assertEquals(1, session.rtcpReceived());
        rtcpWire.sent.clear();
        rtpWire.sent.clear();
    }

    @Test
    void anSrtpStreamReportsAsSrtcpBothWaysAndDropsForgedReports() {
        session = open(false);
        SrtpMasterKey callerKey = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_32, TestPackets.filled(30, 0x5a));
        SrtpMasterKey ourKey = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80, TestPackets.filled(30, 0x3c));
        session.update(new RtpStreamSpec(G711.PCMU, 0, -1, true, true, CALLER_RTP, 20, false, null,
                new SrtpKeys(callerKey, ourKey)));
        session.start(scheduler.nanoTime());
        for (int ms = 0; ms < 8000 && rtcpWire.sent.isEmpty(); ms += 20) {
            scheduler.advanceMillis(20);                       // until the first report, due within 7.5 s
        }
        assertFalse(rtcpWire.sent.isEmpty(), "our report goes out, as SRTCP (RFC 3711 §3.4)");
        for (RtpSenderPacingTest.Wire.Sent sent : rtpWire.sent) {
            int type = sent.bytes()[1] & 0xFF;
            assertFalse(type >= 192 && type <= 223, "no RTCP on the RTP port without rtcp-mux");
        }
        byte[] wire = rtcpWire.sent.poll().bytes();
        byte[] sent = wire.clone();
        SrtcpReceiver caller = new SrtcpReceiver(ourKey);
        int length = caller.unprotect(wire, wire.length);
        assertEquals(wire.length - 4 - 10, length, "E and index, then an 80-bit tag whatever the SRTP suite");
        assertArrayEquals(Arrays.copyOf(sent, 8), Arrays.copyOf(wire, 8), "the first header and SSRC in the clear");
        assertFalse(Arrays.equals(sent, 8, length, wire, 8, length), "the rest encrypted");
        ByteBuf sr = Unpooled.wrappedBuffer(wire, 0, length);
        assertEquals(RtcpPacket.Check.VALID, RtcpPacket.check(sr, 0, length));
        assertEquals(RtcpPacket.SENDER_REPORT, RtcpPacket.packetType(sr, 0));
        assertEquals(session.ssrc(), RtcpPacket.ssrc(sr, 0));
        long lsr = RtcpPacket.ntpMiddle(sr, 0);

        // 300 ms later the caller's SRTCP RR arrives, saying it held our SR for 250 ms: 50 to 70 ms round trip.
        scheduler.advanceMillis(300);
        SrtcpSender callerSender = new SrtcpSender(callerKey);
        ByteBuf rr = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(rr, CALLER_SSRC, 1);
        RtcpPacket.writeReportBlock(rr, session.ssrc(), 64, 3, 0x0001_0000L, 80, lsr, 65_536 / 4);
        byte[] report = new byte[rr.readableBytes() + callerSender.overhead()];
        rr.readBytes(report, 0, rr.readableBytes());
        int protectedLength = callerSender.protect(report, report.length - callerSender.overhead());
        byte[] forged = report.clone();
        forged[protectedLength - 11] ^= (byte) 0x80;          // a later SRTCP index, a tag that does not match
        rtcpChannel.writeInbound(new io.netty.channel.socket.DatagramPacket(Unpooled.wrappedBuffer(forged), LOCAL,
                CALLER_RTCP));
        assertEquals(0, session.rtcpReceived(), "a forged report is not read");
        assertEquals(1, session.srtpAuthFailures(), "and counted with SRTP's");
        rtcpChannel.writeInbound(new io.netty.channel.socket.DatagramPacket(Unpooled.wrappedBuffer(report), LOCAL,
                CALLER_RTCP));
        assertEquals(1, session.rtcpReceived());
        MediaQuality quality = session.quality();
        assertTrue(quality.rttMs() >= 50 && quality.rttMs() < 70, "rtt " + quality.rttMs());
        assertEquals(25.0, quality.remote().fractionLost());
        rtcpChannel.writeInbound(new io.netty.channel.socket.DatagramPacket(Unpooled.wrappedBuffer(report), LOCAL,
                CALLER_RTCP));
        assertEquals(1, session.rtcpReceived(), "a replayed report is not read twice");
        assertEquals(1, session.srtpReplays());

        rtcpWire.sent.clear();
        session.close();
        byte[] bye = rtcpWire.sent.poll().bytes();
        int byeLength = caller.unprotect(bye, bye.length);
        assertTrue(byeLength > 0, "the BYE goes as SRTCP too");
        rtpWire.sent.clear();
    }

    @Test
    void onHoldTheReportIsAReceiverReportAndClosingSaysGoodbye() {
        session = open(false);
        session.start(scheduler.nanoTime());
        session.update(new RtpStreamSpec(G711.PCMU, 0, -1, false, true, CALLER_RTP, 20, false, null, null));
        callerTalks(0, 8000);
        ByteBuf rr = Unpooled.wrappedBuffer(rtcpWire.sent.peekLast().bytes());
        assertEquals(RtcpPacket.RECEIVER_REPORT, RtcpPacket.packetType(rr, 0));
        rtcpWire.sent.clear();
        session.close();
        ByteBuf bye = Unpooled.wrappedBuffer(rtcpWire.sent.poll().bytes());
        int at = 0;
        while (RtcpPacket.packetType(bye, at) != RtcpPacket.GOODBYE) {
            at += RtcpPacket.length(bye, at);
        }
        assertEquals(session.ssrc(), RtcpPacket.ssrc(bye, at));
        assertTrue(rtpWire.sent.isEmpty(), "nothing was sent on hold");
    }

    @Test
    void underRtcpMuxReportsGoToTheRtpAddressOverTheRtpSocketAndRtcpThereIsRead() {
        session = open(true);
        session.start(scheduler.nanoTime());
        callerTalks(0, 4000);
        assertTrue(rtcpWire.sent.isEmpty(), "nothing on the RTCP port");
        long rtcp = rtpWire.sent.stream().filter(p -> (p.bytes()[1] & 0xFF) == RtcpPacket.SENDER_REPORT).count();
        // The first report comes 1.25–3.75 s in and the next 2.5–7.5 s later (RFC 3550 §6.2, §6.3.1, randomised
        // per session), so 4 s hold one or two.
        assertTrue(rtcp >= 1 && rtcp <= 2, rtcp + " sender reports");
        assertTrue(rtpWire.sent.stream().allMatch(p -> p.recipient().equals(CALLER_RTP)));
        rtpChannel.writeInbound(datagram(RtcpPacketTest.RECEIVER_REPORT_AND_PADDED_BYE, CALLER_RTP, LOCAL));
        assertEquals(1, session.rtcpReceived());
        assertEquals(0, session.malformed(), "RTCP on the RTP port is not malformed RTP");
        assertNull(session.quality().remote(), "its block is about another SSRC than ours");
        rtpWire.sent.clear();
    }
}
