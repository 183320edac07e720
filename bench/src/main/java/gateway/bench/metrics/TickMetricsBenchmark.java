package gateway.bench.metrics;

import gateway.bridge.metrics.GatewayMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the media loops' own measurements cost per 20 ms of a call: one pacer tick's lateness and one caller packet's
 * added latency, recorded into the gateway's one set of metrics. The gateway has two media loops recording at once,
 * which {@link #twoLoops} reproduces; {@link #oneLoop} is the same work without a second writer. The values are
 * what the load runs see: a tick 40–300 µs late, a packet 20–60 µs through.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TickMetricsBenchmark {

    private final GatewayMetrics metrics = new GatewayMetrics();

    /** Each thread's own run of values, so the two writers do not share a counter of their own. */
    @State(Scope.Thread)
    public static class Values {
        long step;

        long next(long base, long spread) {
            step = step * 6364136223846793005L + 1442695040888963407L;
            return base + ((step >>> 33) % spread);
        }
    }

    private void tickAndPacket(Values v) {
        metrics.playoutLateness(v.next(40_000, 260_000));
        metrics.inboundLatency(v.next(20_000, 40_000));
    }

    @Benchmark
    @Threads(1)
    public void oneLoop(Values v) {
        tickAndPacket(v);
    }

    @Benchmark
    @Threads(2)
    public void twoLoops(Values v) {
        tickAndPacket(v);
    }
}
