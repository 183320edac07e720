package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What we send follows the caller's packet time (a=ptime): each packet carries that much audio, its timestamp moves
 * by as much, and packets leave that far apart on the wheel's grid, each asked for at the instant its first sample
 * plays (the playout lateness stays 0); a new packet time mid-call applies from the next tick on, which keeps its
 * time.
 */
class PacketTimeTest {

    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 4000);
    private static final long MS = 1_000_000L;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PacingWheel wheel = new PacingWheel(scheduler);
    private final TimedWire wire = new TimedWire();
    private final EmbeddedChannel channel = new EmbeddedChannel(wire);
    private final RtpSenderPacingTest.Player player = new RtpSenderPacingTest.Player(scheduler, tick -> true);
    private RtpSession session;

    /** One packet written: when, its timestamp and its payload length. */
    record Sent(long atNanos, long timestamp, int payloadBytes) {
    }

    /** Records what is written and when, and releases it as a socket does. */
    final class TimedWire extends ChannelOutboundHandlerAdapter {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            DatagramPacket p = (DatagramPacket) msg;
            byte[] bytes = ByteBufUtil.getBytes(p.content());
            sent.add(new Sent(scheduler.nanoTime(), RtpPacket.timestamp(Unpooled.wrappedBuffer(bytes), 0),
                    bytes.length - RtpPacket.FIXED_HEADER_LENGTH));
            p.release();
        }
    }

    @AfterEach
    void tearDown() {
        session.close();
        channel.finishAndReleaseAll();
    }

    private static RtpStreamSpec spec(int ptimeMs) {
        return new RtpStreamSpec(G711.PCMU, 0, -1, true, true, CALLER, ptimeMs, false, null, null);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 20, 30, 40, 60})
    void eachPacketCarriesThePacketTimeAndLeavesThatFarFromTheLast(int ptimeMs) {
        session = RtpSession.attach(channel, null, spec(ptimeMs), wheel, player, RtpSettings.DEFAULTS);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.advanceMillis(240);
        int expected = 240 / ptimeMs + 1;
        assertEquals(expected, wire.sent.size());
        for (int i = 0; i < expected; i++) {
            Sent p = wire.sent.get(i);
            assertEquals(ptimeMs * 8, p.payloadBytes(), "packet " + i);
            assertEquals(answer + i * ptimeMs * MS, p.atNanos(), "packet " + i + " leaves on its tick");
            assertEquals((wire.sent.get(0).timestamp() + (long) i * ptimeMs * 8) & 0xFFFF_FFFFL, p.timestamp());
        }
        for (long[] asked : player.asked) {
            assertEquals(asked[0] - answer, asked[1] * 1_000_000_000L / 24_000, "no lateness at position "
                    + asked[1]);
        }
        assertTrue(player.asked.stream().allMatch(a -> a[1] % (ptimeMs * 24L) == 0));
    }

    @Test
    void aNewPacketTimeAppliesFromTheNextTickWhichKeepsItsTime() {
        session = RtpSession.attach(channel, null, spec(20), wheel, player, RtpSettings.DEFAULTS);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.advanceMillis(50);                           // ticks at 0, 20, 40
        session.update(spec(30));                             // a re-INVITE asks for 30 ms
        scheduler.advanceMillis(100);                          // ticks at 60, 90, 120, 150
        List<Long> times = wire.sent.stream().map(s -> (s.atNanos() - answer) / MS).toList();
        assertEquals(List.of(0L, 20L, 40L, 60L, 90L, 120L, 150L), times);
        List<Integer> sizes = wire.sent.stream().map(Sent::payloadBytes).toList();
        assertEquals(List.of(160, 160, 160, 240, 240, 240, 240), sizes);
        long first = wire.sent.get(0).timestamp();
        assertEquals(first + 480, wire.sent.get(3).timestamp());
        assertEquals(first + 480 + 240, wire.sent.get(4).timestamp());
    }

    @Test
    void aPacketTimeOutsideTenToSixtyInStepsOfTenIsRefused() {
        session = RtpSession.attach(channel, null, spec(20), wheel, player, RtpSettings.DEFAULTS);
        for (int bad : new int[] {0, 5, 25, 70}) {
            try {
                spec(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("10 to 60"), expected.getMessage());
            }
        }
    }
}
