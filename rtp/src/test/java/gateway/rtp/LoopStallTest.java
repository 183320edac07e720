package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The caller's stream through a session whose event loop stalls, on the manual clock: the packets that waited in the
 * socket meanwhile are read after the late catch-up ticks of the pacer and still reach the listener, each in its
 * place, none concealed or dropped as late.
 */
class LoopStallTest {

    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long SSRC = 0x0CA1_1E55L;
    private static final int FRAME = 160;

    private final RtpSenderPacingTest.StallingScheduler scheduler = new RtpSenderPacingTest.StallingScheduler();
    private final RtpSenderPacingTest.Player player = new RtpSenderPacingTest.Player(scheduler, tick -> false);
    private final EmbeddedChannel channel = new EmbeddedChannel(new RtpSenderPacingTest.Wire());
    private long answer;

    private void advanceTo(long atMs) {
        scheduler.manual.advanceNanos(answer + atMs * MS - scheduler.nanoTime());
    }

    private void receive(int i) {
        channel.writeInbound(datagram(rtp(0, i, (long) i * FRAME, SSRC, TestPackets.ulawTone(1000, 8000, i * FRAME,
                FRAME)), SDP, LOCAL));
    }

    /** A delay spike every 8 packets, 35 ms falling by 5 ms a packet, as in InboundAudioPathTest: a 36 ms wait. */
    private static int spike(int i) {
        int k = i % 8;
        return k == 0 ? 0 : 40 - 5 * k;
    }

    @Test
    void packetsThatWaitedInTheSocketDuringAStallAreNotConcealedByTheLateTicks() {
        RtpSession session = RtpSession.attach(channel, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.manual.runDue();
        for (int i = 0; i < 40; i++) {
            advanceTo(i * 20 + spike(i));
            receive(i);
        }
        scheduler.stallNextBy = 480 * MS;                  // the wake-up after 820 ms comes at 1320 ms
        advanceTo(820);
        receive(41);                                       // 40 is not there yet (its wait ends at 836 ms)
        advanceTo(1320);                                   // the loop resumes: the late ticks run first
        receive(40);                                       // then the packets that waited, back to back
        for (int i = 42; i < 65; i++) {
            receive(i);
        }
        for (int i = 65; i < 90; i++) {
            advanceTo(i * 20);
            receive(i);
        }
        long[] expected = new long[90];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 480L;
        }
        assertArrayEquals(expected, player.audio.stream().mapToLong(TestPackets.Audio::position).toArray(),
                "every packet in its place, once, nothing concealed");
        session.close();
        assertFalse(channel.finish());
    }
}
