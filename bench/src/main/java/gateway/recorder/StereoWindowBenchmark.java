package gateway.recorder;

import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import java.io.IOException;
import java.nio.file.Path;
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
 * The writer thread's per-chunk work: 480 caller + 480 assistant samples placed in the 0.5 s {@link StereoWindow};
 * once the window is full every operation also flushes 480 stereo frames. With {@code toWav} the flush goes into a
 * {@link WavFile} on tmpfs (little-endian buffer, a FileChannel write every 64 KiB, the header rewritten every 25
 * operations = 0.5 s of audio as the writer does); without, into a sink that only reads the frames.
 * To keep the file small it is cut back to its header every 3000 operations (60 s of audio).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StereoWindowBenchmark {

    private static final int FRAME = 480;
    /** 0.5 s of 20 ms frames: the writer's header rewrite period. */
    private static final int SYNC_EVERY = 25;
    /** 60 s of 20 ms frames: when the scratch file is cut back. */
    private static final int TRUNCATE_EVERY = 3000;

    /** A sink that reads every flushed sample and does no I/O. */
    static final class Checksum implements StereoWindow.Sink {
        long sum;

        @Override
        public void frames(short[] interleaved, int offset, int frames) {
            int end = offset + frames * StereoWindow.CHANNELS;
            long s = sum;
            for (int i = offset; i < end; i++) {
                s += interleaved[i];
            }
            sum = s;
        }
    }

    private final short[] caller = SpeechLevelTone.pcm(300, 24_000, FRAME);
    private final short[] assistant = SpeechLevelTone.pcm(1000, 24_000, FRAME);
    private Path dir;
    private WavFile wav;
    private StereoWindow toWav;
    private StereoWindow inMemory;
    private final Checksum checksum = new Checksum();
    private long position;
    private int ops;

    @Setup
    public void setUp() throws IOException {
        dir = TempDirs.create("bench-wav");
        wav = WavFile.create(dir.resolve(RecordingService.AUDIO_FILE), RecordingService.SAMPLE_RATE);
        toWav = new StereoWindow(RecordingService.DEFAULT_WINDOW_FRAMES, Long.MAX_VALUE, wav);
        inMemory = new StereoWindow(RecordingService.DEFAULT_WINDOW_FRAMES, Long.MAX_VALUE, checksum);
    }

    @TearDown
    public void tearDown() throws IOException {
        wav.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    public long toWav() throws IOException {
        toWav.write(StereoWindow.CALLER, position, caller, 0, FRAME);
        toWav.write(StereoWindow.ASSISTANT, position, assistant, 0, FRAME);
        position += FRAME;
        if (++ops % SYNC_EVERY == 0) {
            wav.sync();
        }
        if (ops % TRUNCATE_EVERY == 0) {
            wav.finish(0);
        }
        return toWav.flushedFrames();
    }

    @Benchmark
    public long inMemory() throws IOException {
        inMemory.write(StereoWindow.CALLER, position, caller, 0, FRAME);
        inMemory.write(StereoWindow.ASSISTANT, position, assistant, 0, FRAME);
        position += FRAME;
        return checksum.sum;
    }
}
