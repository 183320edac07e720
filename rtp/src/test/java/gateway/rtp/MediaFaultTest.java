package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.filled;
import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.rtp.RtpSenderPacingTest.Player;
import gateway.rtp.RtpSenderPacingTest.Wire;
import gateway.time.ManualScheduler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session whose listener throws stops alone: {@link MediaListener#onMediaFault} once, no more ticks or packets
 * sent, later packets dropped, nothing thrown into the pipeline or to the caller, no buffer leaked; another session
 * ticking in the same wheel slot goes on exactly on its grid.
 */
class MediaFaultTest {

    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    /** The caller seen through a NAT that changed its port: the SDP host, so its first packet latches. */
    private static final InetSocketAddress NAT = new InetSocketAddress("192.0.2.10", 31000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long TICK = Pacer.TICK_NANOS;
    private static final long MS = 1_000_000L;
    private static final long FAULTY_SSRC = 1;
    private static final long HEALTHY_SSRC = 2;

    /** The end of the pipeline: whatever gets past the session's handler. */
    static final class Tail extends ChannelInboundHandlerAdapter {
        final List<Object> reads = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.add(msg);
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }

    /** A player that throws from the callback a test picks. */
    static final class Faulty extends Player {
        final RuntimeException boom = new IllegalStateException("listener bug");
        int throwOnAudio = -1;
        int throwOnAsk = -1;
        boolean throwOnFault;

        Faulty(ManualScheduler clock) {
            super(clock, tick -> false);
        }

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            if (audio.size() + 1 == throwOnAudio) {
                throw boom;
            }
            super.onCallerAudio(pcm24k, offset, length, position);
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            boolean speech = super.nextPlayoutFrame(pcm24k, length, position);
            if (asked.size() == throwOnAsk) {
                throw boom;
            }
            return speech;
        }

        @Override
        public void onMediaFault(Throwable error) {
            super.onMediaFault(error);
            if (throwOnFault) {
                throw new IllegalStateException("and the fault handler too");
            }
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PacingWheel wheel = new PacingWheel(scheduler);
    private final Wire faultyWire = new Wire();
    private final Wire healthyWire = new Wire();
    private final EmbeddedChannel faultyChannel = new EmbeddedChannel(faultyWire);
    private final EmbeddedChannel healthyChannel = new EmbeddedChannel(healthyWire);
    private final Tail tail = new Tail();
    private final Faulty faulty = new Faulty(scheduler);
    private final Player healthy = new Player(scheduler, tick -> false);
    private RtpSession faultySession;
    private RtpSession healthySession;
    private long answer;

    @BeforeEach
    void setUp() {
        faultySession = RtpSession.attach(faultyChannel, RtpStreamSpec.sendRecv(G711.PCMU, 101, SDP), wheel, faulty,
                FAULTY_SSRC, 0, 0);
        faultyChannel.pipeline().addLast(tail);
        healthySession = RtpSession.attach(healthyChannel, RtpStreamSpec.sendRecv(G711.PCMU, 101, SDP), wheel,
                healthy, HEALTHY_SSRC, 0, 0);
        answer = scheduler.nanoTime();
        faultySession.start(answer);   // both in the same slot of the wheel
        healthySession.start(answer);
        scheduler.runDue();            // tick 0 of both
    }

    @AfterEach
    void tearDown() {
        faultySession.close();
        healthySession.close();
        assertEquals(List.of(), tail.reads);
        assertEquals(List.of(), tail.exceptions);
        faultyChannel.checkException();
        assertFalse(faultyChannel.finish());
        assertFalse(healthyChannel.finish());
        assertEquals(List.of(), healthy.faults);
    }

    private void receive(int seq) {
        faultyChannel.writeInbound(datagram(rtp(0, seq, 160L * seq, 0xABCD, filled(160, 0xFF)), NAT, LOCAL));
    }

    /** The healthy session sent ticks 0..n-1, each on its grid. */
    private void assertHealthyTicked(int n) {
        assertEquals(n, healthy.asked.size());
        for (int k = 0; k < n; k++) {
            assertArrayEquals(new long[] {answer + k * TICK, k * 480L}, healthy.asked.get(k));
            byte[] packet = healthyWire.take(SDP);
            assertEquals(k, ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF));
        }
        assertTrue(healthyWire.sent.isEmpty());
    }

    /** The faulty session sent exactly {@code n} packets and none after its fault. */
    private void assertFaultySent(int n) {
        for (int k = 0; k < n; k++) {
            faultyWire.take(k == 0 ? SDP : NAT);
        }
        assertTrue(faultyWire.sent.isEmpty());
    }

    @Test
    void aListenerThatThrowsOnAPacketStopsItsSessionAlone() {
        faulty.throwOnAudio = 2;
        receive(1);
        receive(2);                        // onCallerAudio throws
        receive(3);                        // dropped
        scheduler.advanceNanos(5 * TICK);
        receive(4);                        // dropped

        assertEquals(List.of(faulty.boom), faulty.faults);
        assertEquals(1, faulty.audio.size());
        assertEquals(2, faultySession.packetsReceived());
        assertEquals(1, faulty.asked.size()); // no tick after the fault
        assertFaultySent(1);
        assertHealthyTicked(6);
        assertEquals(1, wheel.occupiedSlots());
        assertEquals(1, scheduler.pending()); // the slot's task lives on for the healthy session

        RtpStreamSpec before = faultySession.spec();
        faultySession.update(RtpStreamSpec.sendRecv(G711.PCMA, 101, SDP));
        assertEquals(before, faultySession.spec()); // a stopped session takes no update
    }

    @Test
    void aListenerThatThrowsOnATickStopsItsSessionAlone() {
        faulty.throwOnAsk = 3;             // tick 2
        receive(1);                        // latches to NAT
        scheduler.advanceNanos(7 * TICK);
        receive(2);                        // dropped after the fault

        assertEquals(List.of(faulty.boom), faulty.faults);
        assertEquals(3, faulty.asked.size());
        assertEquals(1, faulty.audio.size());
        assertEquals(1, faultySession.packetsReceived());
        assertFaultySent(2);
        assertHealthyTicked(8);
        assertEquals(1, wheel.occupiedSlots());
        assertEquals(1, scheduler.pending());
    }

    @Test
    void aListenerThatThrowsOnAnEarlyTalkspurtFaultsWithoutThrowingToTheCaller() {
        scheduler.advanceNanos(7 * MS);
        faulty.throwOnAsk = 2;
        faultySession.playoutReady();      // the early tick runs at once and throws inside
        assertEquals(List.of(faulty.boom), faulty.faults);
        scheduler.advanceNanos(3 * TICK);
        assertEquals(2, faulty.asked.size());
        assertFaultySent(1);
        assertHealthyTicked(4);
    }

    @Test
    void aListenerThatAlsoThrowsFromOnMediaFaultIsStillContained() {
        faulty.throwOnAudio = 1;
        faulty.throwOnFault = true;
        receive(1);
        receive(2);
        scheduler.advanceNanos(2 * TICK);
        assertEquals(List.of(faulty.boom), faulty.faults);
        assertEquals(0, faulty.audio.size());
        assertFaultySent(1);
        assertHealthyTicked(3);
    }
}
