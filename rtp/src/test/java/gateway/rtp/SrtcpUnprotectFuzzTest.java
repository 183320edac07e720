package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Datagrams on an SRTP call's RTCP port, or on its RTP port under rtcp-mux (RFC 5761), through the pipelines
 * {@link RtpSession#attach} builds, into the {@link SrtcpReceiver} (RFC 3711 §3.4): random bytes, the caller's
 * protected report with bits flipped, or any compound packet the caller really protected, sent twice. Nothing is
 * thrown, logged with a throwable or reported as a media fault, and every datagram is released. A forged or flipped
 * packet is never read as RTCP nor as RTP: it is dropped and counted exactly once (a bad tag, a replay, not SRTCP,
 * malformed, not RTP at all, or a STUN message). An authentic packet is read once if it is valid RTCP (RFC 3550
 * A.2) that reaches the RTCP side, else dropped and counted once; its second copy is never read again.
 *
 * <p>Input: byte 0 bits 0-1 pick the mode (0: the rest is the datagram; 1 and 3: the caller's next report with a bit
 * flipped per pair of bytes that follow, at least one; 2: the rest is the RTCP the caller protects), bit 2 the RTP
 * port under rtcp-mux, bit 3 an authentic report from the caller first (so the SRTCP index window has a source),
 * bit 4 the SRTP suite (the SRTCP tag is 80 bits either way). Seeds: {@code SrtcpUnprotectFuzzTestInputs}.
 */
class SrtcpUnprotectFuzzTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10_000);
    private static final InetSocketAddress CALLER_RTP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress CALLER_RTCP = new InetSocketAddress("192.0.2.10", 4001);
    private static final long CALLER_SSRC = 0x0CA1_1E55L;
    private static final int MODE_RAW = 0;
    private static final int MODE_AUTHENTIC = 2;

    private static SrtpMasterKey key(SrtpSuite suite, int seed) {
        byte[] keyAndSalt = new byte[30];
        for (int i = 0; i < keyAndSalt.length; i++) {
            keyAndSalt[i] = (byte) (seed * 31 + i);
        }
        return SrtpMasterKey.of(suite, keyAndSalt);
    }

    /** A receiver report with one block about our stream, as a caller sends it every 5 s. */
    private static byte[] callerReport(long sessionSsrc) {
        ByteBuf rr = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(rr, CALLER_SSRC, 1);
        RtcpPacket.writeReportBlock(rr, sessionSsrc, 3, 1, 0x0001_0010L, 40, 0, 0);
        RtcpPacket.writeSourceDescription(rr, CALLER_SSRC, "caller@192.0.2.10".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = new byte[rr.readableBytes()];
        rr.readBytes(bytes).release();
        return bytes;
    }

    /** {@code plain} (padded to an RTCP header and SSRC) as the caller's SRTCP packet. */
    private static byte[] protect(SrtcpSender caller, byte[] plain) {
        int length = Math.min(Math.max(plain.length, SrtcpSender.CLEAR_BYTES),
                SrtpCipher.MAX_PACKET_BYTES - caller.overhead());
        byte[] packet = Arrays.copyOf(plain, length + caller.overhead());
        return Arrays.copyOf(packet, caller.protect(packet, length));
    }

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aForgedReportIsDroppedAndCountedAndAnAuthenticOneReadOnce(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 3;
        boolean mux = (input[0] & 4) != 0;
        SrtpSuite suite = (input[0] & 16) != 0 ? SrtpSuite.AES_CM_128_HMAC_SHA1_32 : SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        SrtpMasterKey callers = key(suite, 1);
        SrtcpSender caller = new SrtcpSender(callers);
        ManualScheduler scheduler = new ManualScheduler();
        EmbeddedChannel rtpChannel = new EmbeddedChannel();
        EmbeddedChannel rtcpChannel = new EmbeddedChannel();
        TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
        List<ByteBuf> received = new ArrayList<>();
        RtpStreamSpec spec = new RtpStreamSpec(G711.PCMU, 0, 101, true, true, CALLER_RTP,
                RtpStreamSpec.DEFAULT_PTIME_MS, mux, null, new SrtpKeys(callers, key(suite, 2)));
        try (LogCapture log = LogCapture.of("gateway.rtp")) {
            RtpSession session = RtpSession.attach(rtpChannel, rtcpChannel, spec, new PacingWheel(scheduler),
                    listener, new RtpSettings(5_000_000_000L, InstantSource.fixed(Instant.EPOCH)));
            EmbeddedChannel port = mux ? rtpChannel : rtcpChannel;
            InetSocketAddress from = mux ? CALLER_RTP : CALLER_RTCP;
            byte[] report = callerReport(session.ssrc());
            long read = 0;
            if ((input[0] & 8) != 0) {
                deliver(port, protect(caller, report), from, received);
                assertEquals(1, session.rtcpReceived(), "the caller's authentic report is read");
                read = 1;
            }
            byte[] rest = Arrays.copyOfRange(input, 1, input.length);
            if (mode == MODE_AUTHENTIC) {
                byte[] wire = protect(caller, rest);
                byte[] plain = Arrays.copyOf(rest, wire.length - caller.overhead());
                ByteBuf asSent = Unpooled.wrappedBuffer(plain);
                boolean readable = (!mux || RtcpPacket.isMultiplexedRtcp(asSent, 0, plain.length))
                        && RtcpPacket.check(asSent, 0, plain.length) == RtcpPacket.Check.VALID;
                long handled = handled(session);
                deliver(port, wire, from, received);
                assertEquals(read + (readable ? 1 : 0), session.rtcpReceived(), "read once if it is valid RTCP");
                assertEquals(handled + (readable ? 0 : 1), handled(session), "else dropped and counted once");
                long replays = session.srtpReplays();
                deliver(port, wire, from, received);
                assertEquals(read + (readable ? 1 : 0), session.rtcpReceived(), "a second copy is not read again");
                assertEquals(handled + (readable ? 0 : 1) + 1, handled(session), "and counted once");
                if (readable) {
                    assertEquals(replays + 1, session.srtpReplays(), "as a replay (RFC 3711 §3.3.2)");
                }
            } else {
                byte[] forged = mode == MODE_RAW ? rest : TestPackets.flipped(protect(caller, report), input, 1);
                long handled = handled(session);
                deliver(port, forged, from, received);
                assertEquals(read, session.rtcpReceived(), "a forged or flipped packet is never read as RTCP");
                assertEquals(0, session.packetsReceived(), "nor as RTP");
                assertEquals(handled + 1, handled(session), "it is dropped and counted once");
            }
            session.close();
            rtpChannel.checkException();
            rtcpChannel.checkException();
            rtpChannel.finishAndReleaseAll();
            rtcpChannel.finishAndReleaseAll();
            FuzzInvariants.released(received);
            FuzzInvariants.nothingThrown(log);
            assertEquals(List.of(), listener.faults, "media faults");
        } finally {
            rtpChannel.finishAndReleaseAll();
            rtcpChannel.finishAndReleaseAll();
        }
    }

    private static void deliver(EmbeddedChannel port, byte[] datagram, InetSocketAddress from, List<ByteBuf> kept) {
        ByteBuf content = Unpooled.buffer(datagram.length).writeBytes(datagram);
        kept.add(content);
        port.writeInbound(new DatagramPacket(content, LOCAL, from));
    }

    /**
     * Every datagram the session took in without reading it as media: dropped (SRTP or SRTCP failures, malformed,
     * not RTP, STUN not answered) or answered (a STUN Binding request).
     */
    private static long handled(RtpSession session) {
        return session.srtpAuthFailures() + session.srtpReplays() + session.srtpInvalid() + session.malformed()
                + session.notRtpDropped() + session.stunDropped() + session.stunAnswered();
    }
}
