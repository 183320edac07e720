package gateway.rtp;

import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.ImpairedNetwork;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the jitter buffer adds in latency, measured on the manual clock with the seeded network at 0, 20 and 60 ms
 * of jitter (each packet delayed by a uniform draw in [0, jitter)): for every packet whose audio was played, the time
 * from its arrival to its delivery to the call. Packets in order never wait, so only reordering costs anything; a
 * buffer that smoothed every packet to its depth would add the depth to all of them. Prints the figures
 * BENCHMARKS.md quotes.
 */
class JitterBufferLatencyTest {

    private static final long MS = 1_000_000L;
    private static final long TICK = Pacer.TICK_NANOS;
    private static final int PACKETS = 3_000;
    private static final long SEED = 15;

    /** The figures at one jitter. */
    record Latency(long jitterMs, double meanMs, double p95Ms, double maxMs, long depthMs, long late,
                   long concealedPackets) {

        String line() {
            return String.format("jitter %3d ms: added latency mean %5.2f ms, p95 %5.1f ms, max %5.1f ms; wait"
                            + " for a missing packet %3d ms; %d late, %d concealed of %d", jitterMs, meanMs, p95Ms,
                    maxMs, depthMs, late, concealedPackets, PACKETS);
        }
    }

    static Latency measure(long jitterMs) {
        List<ImpairedNetwork.Delivery> schedule = ImpairedNetwork.schedule(
                ImpairedNetwork.Impairment.jitter(SEED, jitterMs * MS), PACKETS, TICK, 0);
        long[] arrival = new long[PACKETS];
        Arrays.fill(arrival, -1);
        long[] delivered = new long[PACKETS];
        Arrays.fill(delivered, -1);
        long[] now = {0};
        MediaListener listener = new TestPackets.RecordingListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                int packet = (int) (position / 480);
                if (packet < PACKETS && delivered[packet] < 0) {
                    delivered[packet] = now[0];
                }
            }
        };
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(listener, stats);
        inbound.start(0);
        ByteBuf packet = Unpooled.buffer(172);
        int next = 0;
        long depth = 0;
        for (long t = 0; t <= (PACKETS + 20) * TICK; t += MS) {
            for (; next < schedule.size() && schedule.get(next).atNanos() <= t; next++) {
                int i = schedule.get(next).index();
                arrival[i] = schedule.get(next).atNanos();
                now[0] = arrival[i];
                packet.clear().writeBytes(rtp(0, i, 160L * i, 7, new byte[160]));
                inbound.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, arrival[i]);
                depth = Math.max(depth, inbound.depthNanos());
            }
            if (t % TICK == 0) {
                now[0] = t;
                inbound.onTick(t, 0);                       // the pacer's tick, every 20 ms
            }
        }
        packet.release();
        long[] added = new long[PACKETS];
        int n = 0;
        for (int i = 1; i < PACKETS; i++) {                 // the first packet anchors the stream
            if (arrival[i] >= 0 && delivered[i] >= arrival[i]) {
                added[n++] = delivered[i] - arrival[i];
            }
        }
        long[] sorted = Arrays.copyOf(added, n);
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / MS;
        return new Latency(jitterMs, mean, sorted[(int) (n * 0.95)] / (double) MS, sorted[n - 1] / (double) MS,
                depth / MS, stats.packetsDroppedLate, stats.concealedUnits / 160);
    }

    @Test
    void packetsInOrderWaitForNothingAndReorderingCostsLessThanAFixedBufferWould() {
        Latency clean = measure(0);
        Latency twenty = measure(20);
        Latency sixty = measure(60);
        System.out.println(clean.line());
        System.out.println(twenty.line());
        System.out.println(sixty.line());
        // 0 and 20 ms of jitter on 20 ms packets reorder nothing: every packet goes straight through.
        assertEquals(0, clean.maxMs());
        assertEquals(0, twenty.maxMs());
        assertEquals(0, twenty.concealedPackets());
        // 60 ms reorders: the packets behind a late one wait for it, a few that are later than the wait are
        // concealed, and on average far less is added than the wait a smoothing buffer would add to every packet.
        assertTrue(sixty.depthMs() >= 50 && sixty.depthMs() <= PlayoutDelay.MAX_DEPTH_NANOS / MS, sixty.line());
        assertTrue(sixty.meanMs() > 0 && sixty.meanMs() < sixty.depthMs() / 2.0, sixty.line());
        assertTrue(sixty.maxMs() <= sixty.depthMs() + 20, "nothing waits longer than the wait and a tick: "
                + sixty.line());
        assertTrue(sixty.concealedPackets() < PACKETS / 20, sixty.line());
    }
}
