package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.filled;
import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.time.Cancellable;
import gateway.time.ManualScheduler;
import gateway.time.Scheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** The outbound leg through RtpSession on an EmbeddedChannel, timed by a ManualScheduler. */
class RtpSenderPacingTest {

    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    /** The caller seen through a NAT that changed its port: the SDP host, so its first packet latches. */
    private static final InetSocketAddress NAT = new InetSocketAddress("192.0.2.10", 31000);
    private static final long TICK = 20_000_000L;

    /**
     * A scheduler that can make the next run of a task late, as a busy event loop would. Its fixed-rate tasks are
     * chains of one-shots on the grid (the interface's default), so a stall delays one run; the runs missed meanwhile
     * then come back to back and the later ones stay on the grid, as on a Netty event loop.
     */
    static final class StallingScheduler implements Scheduler {
        final ManualScheduler manual = new ManualScheduler();
        long stallNextBy;

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            long extra = stallNextBy;
            stallNextBy = 0;
            return manual.schedule(task, delayNanos + extra);
        }

        @Override
        public Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
            return Scheduler.super.scheduleAtFixedRate(task, initialDelayNanos, periodNanos);
        }

        @Override
        public long nanoTime() {
            return manual.nanoTime();
        }
    }

    /** Plays a 1 kHz tone on the ticks the predicate selects and records when and where it was asked. */
    static class Player extends TestPackets.RecordingListener {
        final Scheduler clock;
        final LongPredicate speaks;
        final List<long[]> asked = new ArrayList<>(); // {time, position}

        Player(Scheduler clock, LongPredicate speaks) {
            this.clock = clock;
            this.speaks = speaks;
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            asked.add(new long[] {clock.nanoTime(), position});
            for (int i = 0; i < length; i++) {
                assertEquals(0, pcm24k[i]); // handed over zeroed
            }
            if (!speaks.test(position / 480)) {
                pcm24k[0] = 1234; // scribbling on a silent frame must not reach the wire
                return false;
            }
            System.arraycopy(Signals.sine(1000, 24_000, 8000, position, length), 0, pcm24k, 0, length);
            return true;
        }
    }

    /** Stands in for the socket: copies each datagram written and releases it at once, as a real write does. */
    static final class Wire extends ChannelOutboundHandlerAdapter {
        record Sent(InetSocketAddress recipient, byte[] bytes) {
        }

        final ArrayDeque<Sent> sent = new ArrayDeque<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            DatagramPacket p = (DatagramPacket) msg;
            sent.add(new Sent(p.recipient(), ByteBufUtil.getBytes(p.content())));
            p.release();
        }

        byte[] take(InetSocketAddress expectedRecipient) {
            Sent p = sent.poll();
            assertEquals(expectedRecipient, p.recipient());
            return p.bytes();
        }
    }

    private static byte[] readPacket(EmbeddedChannel ch, InetSocketAddress expectedRecipient) {
        DatagramPacket p = ch.readOutbound();
        try {
            assertEquals(expectedRecipient, p.recipient());
            return ByteBufUtil.getBytes(p.content());
        } finally {
            p.release();
        }
    }

    private static void assertHeader(byte[] packet, boolean marker, int seq, long ts, long ssrc) {
        assertEquals(12 + 160, packet.length);
        assertEquals((byte) 0x80, packet[0]);                         // V=2, no P/X/CC
        assertEquals((byte) (marker ? 0x80 : 0x00), packet[1]);        // M, PT=0
        assertEquals((byte) (seq >> 8), packet[2]);
        assertEquals((byte) seq, packet[3]);
        assertEquals((byte) (ts >> 24), packet[4]);
        assertEquals((byte) (ts >> 16), packet[5]);
        assertEquals((byte) (ts >> 8), packet[6]);
        assertEquals((byte) ts, packet[7]);
        assertEquals((byte) (ssrc >> 24), packet[8]);
        assertEquals((byte) (ssrc >> 16), packet[9]);
        assertEquals((byte) (ssrc >> 8), packet[10]);
        assertEquals((byte) ssrc, packet[11]);
    }

    @Test
    void sendsOnePacketPerTickWithExactHeadersMarkersAndSilence() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> tick == 2 || tick == 3 || tick == 5);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, 101, SDP),
                new PacingWheel(scheduler), player, 0xCAFEBABEL, 65534, 0xFFFF_FF00L);
        long answer = scheduler.nanoTime() + 5_000_000L;
        session.start(answer);
        scheduler.manual.runDue();
        assertTrue(wire.sent.isEmpty()); // nothing before the answer instant

        boolean[] markers = {true, false, true, false, false, true};
        int[] sequences = {65534, 65535, 0, 1, 2, 3};
        long[] timestamps = {0xFFFF_FF00L, 0xFFFF_FFA0L, 0x40L, 0xE0L, 0x180L, 0x220L};
        for (int k = 0; k < 6; k++) {
            scheduler.manual.advanceNanos(k == 0 ? 5_000_000L : TICK);
            byte[] packet = wire.take(SDP);
            assertTrue(wire.sent.isEmpty(), "one packet per tick");
            assertHeader(packet, markers[k], sequences[k], timestamps[k], 0xCAFEBABEL);
            if (k < 2) {
                assertArrayEquals(filled(160, 0xFF), java.util.Arrays.copyOfRange(packet, 12, 172), "silence");
            }
            if (k == 3) {
                short[] decoded = new short[160];
                for (int i = 0; i < 160; i++) {
                    decoded[i] = G711.PCMU.decode(packet[12 + i]);
                }
                assertEquals(1000, Signals.dominantFrequency(decoded, 0, 160, 8000, 50, 4000), 0.1);
                assertTrue(Signals.rms(decoded, 0, 160) > 4000);
            }
        }
        for (int k = 0; k < 6; k++) {
            assertArrayEquals(new long[] {answer + k * TICK, k * 480L}, player.asked.get(k));
        }
        assertEquals(6, session.packetsSent());
        session.close();
        assertTrue(session.isClosed());
        scheduler.manual.advanceMillis(100);
        assertTrue(wire.sent.isEmpty()); // pacer stopped
        assertFalse(ch.finish());
    }

    @Test
    void agentAudioArrivingDuringSilenceStartsTheTalkspurtAtOnceAndMovesTheGrid() {
        StallingScheduler scheduler = new StallingScheduler();
        boolean[] audio = {false};
        Player player = new Player(scheduler, tick -> audio[0]);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 7, 10, 1000);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.manual.runDue();                      // tick 0 at the answer: silence
        scheduler.manual.advanceNanos(TICK);            // tick 1 at 20 ms: silence
        assertHeader(wire.take(SDP), true, 10, 1000, 7);
        assertHeader(wire.take(SDP), false, 11, 1160, 7);

        scheduler.manual.advanceNanos(7_000_000L);      // 27 ms: the agent's first audio arrives
        audio[0] = true;
        session.playoutReady();
        byte[] early = wire.take(SDP);
        assertTrue(wire.sent.isEmpty());
        // Sent 13 ms before tick 2's place on the old grid: timestamp 1160 + 56 (7 ms), marker for the talkspurt.
        assertHeader(early, true, 12, 1216, 7);
        assertArrayEquals(new long[] {answer + 27_000_000L, 27 * 24L}, player.asked.get(2));

        session.playoutReady();                         // already speaking: nothing more
        assertTrue(wire.sent.isEmpty());
        scheduler.manual.advanceNanos(13_000_000L);     // 40 ms, the old grid: no tick there any more
        assertTrue(wire.sent.isEmpty(), "the grid moved");
        scheduler.manual.advanceNanos(7_000_000L);      // 47 ms: the next tick, 20 ms after the early one
        assertHeader(wire.take(SDP), false, 13, 1376, 7);
        assertArrayEquals(new long[] {answer + 47_000_000L, 47 * 24L}, player.asked.get(3));

        audio[0] = false;
        scheduler.manual.advanceNanos(TICK);            // 67 ms: silence again, still on the new grid
        assertHeader(wire.take(SDP), false, 14, 1536, 7);
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void latchesToTheSourceOfTheFirstReceivedPacket() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> false);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 100, 0);
        session.start(scheduler.nanoTime());
        scheduler.manual.runDue();
        wire.take(SDP);
        ch.writeInbound(datagram(rtp(0, 1, 0, 9, filled(160, 0xFF)), NAT, new InetSocketAddress(0)));
        assertEquals(NAT, session.remote());
        assertTrue(session.latched());
        scheduler.manual.advanceNanos(TICK);
        byte[] packet = wire.take(NAT);
        assertHeader(packet, false, 101, 160, 1);
        assertEquals(1, session.packetsReceived());
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void lateTickDoesNotShiftTheGrid() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> false);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.stallNextBy = 7_000_000L;         // the wake-up tick 0 schedules for tick 1 comes 7 ms late
        scheduler.manual.runDue();                  // tick 0
        scheduler.manual.advanceNanos(TICK);        // tick 1 is not due yet in loop time
        assertEquals(1, player.asked.size());
        scheduler.manual.advanceNanos(7_000_000L);  // tick 1, late
        scheduler.manual.advanceNanos(13_000_000L); // tick 2 back on the grid
        scheduler.manual.advanceNanos(TICK);        // tick 3
        long[] times = player.asked.stream().mapToLong(a -> a[0]).toArray();
        assertArrayEquals(new long[] {answer, answer + TICK + 7_000_000L, answer + 2 * TICK, answer + 3 * TICK}, times);
        for (int k = 0; k < 4; k++) {
            assertHeader(wire.take(SDP), k == 0, k, 160L * k, 1);
        }
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void anInboundPacketRunsATickTheBusyLoopHasNotYetReached() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> false);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.stallNextBy = 7_000_000L;         // the slot's wake-up for tick 1 comes at 27 ms
        scheduler.manual.runDue();                  // tick 0
        scheduler.manual.advanceNanos(21_000_000L);
        assertEquals(1, player.asked.size());
        ch.writeInbound(datagram(rtp(0, 1, 0, 9, filled(160, 0xFF)), NAT, new InetSocketAddress(0)));
        assertArrayEquals(new long[] {answer + 21_000_000L, 480L}, player.asked.get(1)); // run by the packet
        scheduler.manual.advanceNanos(6_000_000L);  // 27 ms: the late wake-up finds nothing due
        assertEquals(2, player.asked.size());
        scheduler.manual.advanceNanos(13_000_000L); // 40 ms: tick 2 on the grid
        assertArrayEquals(new long[] {answer + 2 * TICK, 960L}, player.asked.get(2));
        assertHeader(wire.take(SDP), true, 0, 0, 1);
        assertHeader(wire.take(NAT), false, 1, 160, 1);
        assertHeader(wire.take(NAT), false, 2, 320, 1);
        assertTrue(wire.sent.isEmpty());
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void stallCatchesUpAFewTicksThenSkipsTheRest() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> false);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.stallNextBy = 190_000_000L;            // tick 0's next wake-up comes at 210 ms: ticks 1..10 due
        scheduler.manual.runDue();                       // tick 0
        scheduler.manual.advanceNanos(210_000_000L);
        // Ticks 1..5 run at once (catch-up limit), 6..10 are skipped, tick 11 is scheduled at 220 ms.
        assertEquals(6, player.asked.size());
        assertEquals(List.of(5L), player.skipped, "the listener hears of the skip as it happens, once");
        for (int k = 1; k <= 5; k++) {
            assertArrayEquals(new long[] {answer + 210_000_000L, k * 480L}, player.asked.get(k));
        }
        scheduler.manual.advanceNanos(10_000_000L);
        assertArrayEquals(new long[] {answer + 11 * TICK, 11 * 480L}, player.asked.get(6));
        assertEquals(5, session.ticksSkipped());
        for (int k = 0; k <= 5; k++) {
            assertHeader(wire.take(SDP), k == 0, k, 160L * k, 1);
        }
        assertHeader(wire.take(SDP), false, 6, 160L * 11, 1); // sequence continues, timestamp jumps
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void skipsATickWhileThePreviousPacketIsStillQueued() {
        StallingScheduler scheduler = new StallingScheduler();
        Player player = new Player(scheduler, tick -> false);
        EmbeddedChannel ch = new EmbeddedChannel();
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        session.start(scheduler.nanoTime());
        scheduler.manual.runDue();                 // tick 0 sent; the test does not read it yet (still "queued")
        scheduler.manual.advanceNanos(TICK);       // tick 1 finds the buffer busy
        assertEquals(1, session.sendsBusy());
        assertEquals(1, player.sendsBusy, "the listener hears of it at the tick");
        assertHeader(readPacket(ch, SDP), true, 0, 0, 1);
        scheduler.manual.advanceNanos(TICK);       // tick 2
        assertHeader(readPacket(ch, SDP), false, 1, 320, 1);
        assertEquals(2, session.packetsSent());
        session.close();
        assertFalse(ch.finish());
    }

    @Test
    void pacesFromOneFixedRateEntryAndCatchesUpWhenStartedLate() {
        ManualScheduler scheduler = new ManualScheduler();
        Player player = new Player(scheduler, tick -> false);
        Wire wire = new Wire();
        EmbeddedChannel ch = new EmbeddedChannel(wire);
        RtpSession session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP),
                new PacingWheel(scheduler), player, 1, 0, 0);
        long answer = scheduler.nanoTime() - 30_000_000L; // answered 30 ms ago: ticks 0 and 1 are due already
        session.start(answer);
        scheduler.runDue();
        assertEquals(2, player.asked.size());
        assertArrayEquals(new long[] {answer + 30_000_000L, 480L}, player.asked.get(1));
        scheduler.advanceNanos(10_000_000L);     // tick 2, on the grid
        assertArrayEquals(new long[] {answer + 2 * TICK, 2 * 480L}, player.asked.get(2));
        for (int k = 3; k < 50; k++) {
            scheduler.advanceNanos(TICK);
            assertArrayEquals(new long[] {answer + k * TICK, k * 480L}, player.asked.get(k));
            assertEquals(1, scheduler.pending()); // the same periodic entry, re-queued
        }
        for (int k = 0; k < 50; k++) {
            assertHeader(wire.take(SDP), k == 0, k, 160L * k, 1);
        }
        session.close();
        scheduler.advanceNanos(TICK);
        assertEquals(0, scheduler.pending());
        assertTrue(wire.sent.isEmpty());
        assertFalse(ch.finish());
    }
}
