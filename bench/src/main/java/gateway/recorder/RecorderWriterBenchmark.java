package gateway.recorder;

import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole recording path on one thread, per 20 ms of one call: both legs' 480 samples written into the call's
 * blocks (event-loop side), and, every 12 of that call's frames (0.24 s, the writer's pass), the writer's drain of
 * its committed frames into its WAV file on tmpfs (interleave, one positional write, blocks zeroed and pooled); the
 * header is rewritten every 25 frames (0.5 s) and the file cut back every 250 (5 s) to keep tmpfs small.
 * {@code calls} round-robins over that many calls, so with 300 the blocks and files are as cold as in a loaded
 * gateway. The baseline of the same operation with the old chunk queue and stereo window is in BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecorderWriterBenchmark {

    private static final int FRAME = 480;
    private static final int PASS_EVERY = 12;
    private static final int SYNC_EVERY = 25;
    private static final int CUT_EVERY = 250;

    @Param({"1", "300"})
    public int calls;

    private final short[] caller = SpeechLevelTone.pcm(300, 24_000, FRAME);
    private final short[] assistant = SpeechLevelTone.pcm(1000, 24_000, FRAME);
    private final FrameBuffer out = new FrameBuffer();
    private Path dir;
    private BlockPool pool;
    private CallAudio[] audio;
    private WavFile[] wavs;
    private long[] positions;
    private int[] ops;
    private int next;

    @Setup
    public void setUp() throws IOException {
        dir = TempDirs.create("bench-writer");
        RecorderSettings settings = new RecorderSettings(5, calls);
        pool = new BlockPool(calls * CallAudio.CHANNELS * settings.slotsPerChannel());
        audio = new CallAudio[calls];
        wavs = new WavFile[calls];
        positions = new long[calls];
        ops = new int[calls];
        for (int i = 0; i < calls; i++) {
            Path callDir = Files.createDirectory(dir.resolve("c" + i));
            audio[i] = new CallAudio(pool, settings.slotsPerChannel(), RecordingService.DEFAULT_WINDOW_FRAMES,
                    Long.MAX_VALUE / 2);
            wavs[i] = WavFile.create(FileOpener.DEFAULT, callDir.resolve("audio.wav"), RecordingService.SAMPLE_RATE);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        System.out.printf("%n# recorder: %d blocks allocated, %d in use%n", pool.allocated(), pool.inUse());
        for (WavFile w : wavs) {
            w.close();
        }
        TempDirs.delete(dir);
    }

    @Benchmark
    public long writeOneFrame() throws IOException {
        int i = next;
        next = i + 1 == calls ? 0 : i + 1;
        long p = positions[i];
        CallAudio call = audio[i];
        call.write(CallAudio.CALLER, p, caller, 0, FRAME);
        call.write(CallAudio.ASSISTANT, p, assistant, 0, FRAME);
        positions[i] = p + FRAME;
        int n = ++ops[i];
        if (n % PASS_EVERY == 0) {
            long target = call.committed();
            while (call.drained() < target) {
                out.frames.clear();
                int count = call.drainInto(target, out.frames, out.scratch, true);
                wavs[i].append(out.packed(count));
            }
        }
        if (n % SYNC_EVERY == 0) {
            wavs[i].sync();
        }
        if (n % CUT_EVERY == 0) {
            wavs[i].finish(0);
        }
        return call.drained();
    }
}
