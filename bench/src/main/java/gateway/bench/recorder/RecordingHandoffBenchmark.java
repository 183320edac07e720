package gateway.recorder;

import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import gateway.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The event loop's side of recording: {@link CallRecording#caller} + {@link CallRecording#assistant} of 480 samples
 * each (copy into pooled chunks, offer to the bounded lock-free queue).
 *
 * <ul>
 *   <li>{@code callerAndAssistant}: the hand-off alone, on one thread: both calls, then the writer's
 *       {@code poll} + {@code recycle} of the two chunks on the same thread (no writer thread running), so the
 *       pool stays warm and nothing is dropped.</li>
 *   <li>{@code sustainedWithWriter}: a real {@link RecordingService} (the gateway's queue size, writer thread on
 *       tmpfs, a new call each iteration); after its two calls the operation waits while more than half the queue
 *       is full. The time per operation is therefore the writer's sustained cost per 20 ms stereo frame (window,
 *       WAV buffer, file writes, header syncs), with the producer and writer sharing this box's cores.</li>
 * </ul>
 * Chunks dropped are printed per iteration; both should print 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordingHandoffBenchmark {

    private static final int FRAME = 480;
    /** The gateway's queue size (Gateway.RECORDER_QUEUE_CHUNKS). */
    private static final int QUEUE_CHUNKS = 4096;
    /** sustainedWithWriter waits while more chunks than this are queued. */
    private static final int HIGH_WATER = QUEUE_CHUNKS / 2;

    private static final short[] CALLER = SpeechLevelTone.pcm(300, 24_000, FRAME);
    private static final short[] ASSISTANT = SpeechLevelTone.pcm(1000, 24_000, FRAME);

    private static CallMetadata metadata(String id) {
        return new CallMetadata(id, "sip-call-id", "sip:caller@example.com", "sip:agent@example.com",
                Instant.now(), "PCMU");
    }

    /** A call on a private queue whose writer never runs; the benchmark thread drains the queue itself. */
    @State(Scope.Thread)
    public static class Handoff {
        final AudioHandoff handoff = new AudioHandoff(QUEUE_CHUNKS);
        CallRecording call;
        long position;

        @Setup
        public void setUp() {
            RecorderWriter idle = new RecorderWriter(handoff, Clock.system(), () -> { }, () -> { },
                    RecordingService.DEFAULT_WINDOW_FRAMES, RecordingService.MAX_POSITION);
            call = new CallRecording(metadata("bench"), Path.of("unused"), handoff, idle);
        }

        @TearDown
        public void tearDown() {
            System.out.printf("%n# recorder: %d chunks offered, %d dropped%n", 2 * position / FRAME,
                    handoff.droppedChunks());
        }
    }

    /** A real service with its writer thread; one call per iteration, deleted afterwards. */
    @State(Scope.Thread)
    public static class Service {
        Path dir;
        RecordingService service;
        CallRecording call;
        int calls;
        long position;
        long droppedBefore;

        @Setup(Level.Trial)
        public void startService() throws IOException {
            dir = TempDirs.create("bench-rec");
            service = new RecordingService(dir, QUEUE_CHUNKS);
        }

        @Setup(Level.Iteration)
        public void startCall() throws IOException {
            call = service.start(metadata("bench-" + calls++));
            position = 0;
            droppedBefore = service.droppedChunks();
        }

        @TearDown(Level.Iteration)
        public void finishCall() throws InterruptedException, ExecutionException, TimeoutException {
            long dropped = service.droppedChunks() - droppedBefore;
            call.finish(new CallSummary(Instant.now(), position, "caller_bye", List.of())).get(60, TimeUnit.SECONDS);
            TempDirs.delete(call.directory());
            System.out.printf("%n# recorder: %d chunks offered, %d dropped, %.1f s of stereo audio written%n",
                    2 * position / FRAME, dropped, position / (double) RecordingService.SAMPLE_RATE);
        }

        @TearDown(Level.Trial)
        public void stopService() {
            service.close();
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    public int callerAndAssistant(Handoff s) {
        s.call.caller(s.position, CALLER, 0, FRAME);
        s.call.assistant(s.position, ASSISTANT, 0, FRAME);
        s.position += FRAME;
        Chunk a = s.handoff.poll();
        Chunk b = s.handoff.poll();
        s.handoff.recycle(a);
        s.handoff.recycle(b);
        return a.length + b.length;
    }

    @Benchmark
    public long sustainedWithWriter(Service s) {
        s.call.caller(s.position, CALLER, 0, FRAME);
        s.call.assistant(s.position, ASSISTANT, 0, FRAME);
        s.position += FRAME;
        AudioHandoff handoff = s.service.handoff();
        while (handoff.queued() > HIGH_WATER) {
            Thread.onSpinWait();
        }
        return s.position;
    }
}
