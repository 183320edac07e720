package gateway.bench.rtp;

import gateway.bench.SpeechLevelTone;
import gateway.bridge.call.PlayoutBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The assistant-audio FIFO between deltas and the pacer: write 480 + read 480 samples per operation, on a ring
 * of the bridge's size (60 s at 24 kHz) holding about 1 s of backlog, so writes and reads wrap around the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlayoutBufferBenchmark {

    /** The bridge's capacity (AssistantPlayout.CAPACITY_SAMPLES). */
    private static final int CAPACITY = 24_000 * 60;
    private static final int FRAME = 480;

    private final PlayoutBuffer buffer = new PlayoutBuffer(CAPACITY);
    private final short[] in = SpeechLevelTone.pcm(1000, 24_000, FRAME);
    private final short[] out = new short[FRAME];

    @Setup
    public void setUp() {
        for (int i = 0; i < 50; i++) {
            buffer.write(in, 0, FRAME);
        }
    }

    @Benchmark
    public short[] write480read480() {
        buffer.write(in, 0, FRAME);
        buffer.read(out, 0, FRAME);
        return out;
    }
}
