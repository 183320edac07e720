package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RTP inactivity on the manual clock: a caller that sends neither RTP nor RTCP for the configured time is reported,
 * once; RTCP alone keeps the call; a hold suspends the timeout and a resume starts it afresh; 0 turns it off.
 */
class InactivityTimeoutTest {

    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long CALLER_SSRC = 0x0CA1_1E55L;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PacingWheel wheel = new PacingWheel(scheduler);
    private final EmbeddedChannel rtp = new EmbeddedChannel();
    private final EmbeddedChannel rtcp = new EmbeddedChannel();
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private RtpSession session;
    private int sequence;

    @AfterEach
    void tearDown() {
        session.close();
        rtp.finishAndReleaseAll();
        rtcp.finishAndReleaseAll();
    }

    private void open(long timeoutNanos) {
        session = RtpSession.attach(rtp, rtcp, RtpStreamSpec.sendRecv(G711.PCMU, -1, CALLER), wheel, listener,
                new RtpSettings(timeoutNanos, InstantSource.system()));
        session.start(scheduler.nanoTime());
    }

    private void callerSends() {
        rtp.writeInbound(datagram(rtp(0, sequence, 160L * sequence, CALLER_SSRC, new byte[160]), CALLER, LOCAL));
        sequence++;
    }

    private void callerReports() {
        ByteBuf rr = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(rr, CALLER_SSRC, 0);
        rtcp.writeInbound(new DatagramPacket(rr, LOCAL, CALLER));
    }

    @Test
    void aCallerSilentForTheTimeoutIsReportedOnce() {
        open(TIMEOUT);
        for (int i = 0; i < 50; i++) {
            callerSends();
            scheduler.advanceMillis(20);
        }
        scheduler.advanceMillis(29_960);                      // 29.98 s after the last packet
        assertEquals(List.of(), listener.timeouts);
        scheduler.advanceMillis(40);
        assertEquals(1, listener.timeouts.size());
        assertEquals(TIMEOUT, listener.timeouts.get(0), 20_000_000, "reported at the first tick past 30 s");
        scheduler.advanceMillis(60_000);
        assertEquals(1, listener.timeouts.size(), "once");
    }

    @Test
    void rtcpAloneKeepsTheCallerAlive() {
        open(TIMEOUT);
        callerSends();
        for (int i = 0; i < 12; i++) {
            scheduler.advanceMillis(5_000);
            callerReports();
        }
        assertEquals(List.of(), listener.timeouts);
    }

    @Test
    void aHoldSuspendsTheTimeoutAndAResumeStartsItAfresh() {
        open(TIMEOUT);
        callerSends();
        scheduler.advanceMillis(10_000);
        session.update(new RtpStreamSpec(G711.PCMU, 0, -1, false, true, CALLER)); // caller's sendonly: on hold
        scheduler.advanceMillis(120_000);
        assertEquals(List.of(), listener.timeouts);
        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, CALLER));
        scheduler.advanceMillis(29_000);
        assertEquals(List.of(), listener.timeouts);
        scheduler.advanceMillis(1_020);
        assertEquals(1, listener.timeouts.size());
    }

    @Test
    void zeroTurnsItOff() {
        open(0);
        scheduler.advanceMillis(600_000);
        assertEquals(List.of(), listener.timeouts);
    }
}
