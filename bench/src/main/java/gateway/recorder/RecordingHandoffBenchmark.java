package gateway.recorder;

import gateway.bench.SpeechLevelTone;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The event loop's side of recording: {@link CallAudio#write} of 480 caller and 480 assistant samples (copied into
 * the call's pooled blocks at their position, the highest position published). Every 5 operations (one 100 ms
 * block) the benchmark thread frees what the window has committed ({@link CallAudio#discardUntil}: the writer's
 * zeroing and pooling of the blocks, without its interleave and file write), so the pool stays warm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordingHandoffBenchmark {

    private static final int FRAME = 480;
    private static final int FREE_EVERY = SampleBlock.FRAMES / FRAME;
    private static final short[] CALLER = SpeechLevelTone.pcm(300, 24_000, FRAME);
    private static final short[] ASSISTANT = SpeechLevelTone.pcm(1000, 24_000, FRAME);

    private BlockPool pool;
    private CallAudio call;
    private long position;
    private int ops;

    @Setup
    public void setUp() {
        RecorderSettings settings = new RecorderSettings(5, 1);
        pool = new BlockPool(CallAudio.CHANNELS * settings.slotsPerChannel());
        call = new CallAudio(pool, settings.slotsPerChannel(), RecordingService.DEFAULT_WINDOW_FRAMES,
                Long.MAX_VALUE / 2);
    }

    @TearDown
    public void tearDown() {
        System.out.printf("%n# recorder: %d samples lost, %d blocks allocated%n", call.lostSamples(),
                pool.allocated());
    }

    @Benchmark
    public long callerAndAssistant() {
        call.write(CallAudio.CALLER, position, CALLER, 0, FRAME);
        call.write(CallAudio.ASSISTANT, position, ASSISTANT, 0, FRAME);
        position += FRAME;
        if (++ops % FREE_EVERY == 0) {
            call.discardUntil(call.committed());
        }
        return call.lostSamples();
    }
}
