package gateway.bench.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import gateway.recorder.CallMetadata;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecordingService;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Recording through a real {@link RecordingService} (the gateway's queue size, its writer thread writing to tmpfs):
 * {@link CallRecording#caller} + {@link CallRecording#assistant} of 480 samples each per operation, what a media loop
 * does per 20 ms.
 *
 * <ul>
 *   <li>{@code callerAndAssistant}: the event loop's side alone: copy into pooled chunks (recycled by the writer
 *       thread) and offer to the bounded queue, in batches of {@value #BATCH} operations, each started once the
 *       writer has emptied the queue (the wait is not measured; the writer, idle, naps up to 10 ms, so it rarely
 *       runs during a batch), so nothing is dropped.</li>
 *   <li>{@code sustainedWithWriter}: after each operation it waits while more than half the queue is full, so the
 *       time per operation is the writer's sustained cost per 20 ms stereo frame (window, WAV buffer, file writes,
 *       header rewrites), with producer and writer sharing this box's cores.</li>
 * </ul>
 * Each iteration's calls are then checked in their call.json (every sample written, none late, rejected or dropped)
 * and deleted; the chunks offered and dropped are printed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordingHandoffBenchmark {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;
    /** The gateway's queue size (Gateway.RECORDER_QUEUE_CHUNKS). */
    private static final int QUEUE_CHUNKS = 4096;
    /** sustainedWithWriter waits while more chunks than this are queued. */
    private static final int HIGH_WATER = QUEUE_CHUNKS / 2;
    /** Operations per measured batch of callerAndAssistant: 5 s of audio, 512 chunks, an eighth of the queue. */
    static final int BATCH = 256;
    /**
     * Operations per call: 1 h of audio, inside the recorder's 4 h limit; a call's start and finish (a few dozen KB)
     * then add under 0.5 B per operation.
     */
    private static final long CALL_FRAMES = 180_000;
    private static final String CALL_JSON = "call.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the wait for the writer sleeps between looks. */
    private static final long WAIT_NANOS = 50_000;

    private static final short[] CALLER = SpeechLevelTone.pcm(300, CallTimeline.SAMPLE_RATE, FRAME);
    private static final short[] ASSISTANT = SpeechLevelTone.pcm(1000, CallTimeline.SAMPLE_RATE, FRAME);

    /**
     * The service and the call being recorded: a new call each iteration and every {@value #CALL_FRAMES} operations,
     * so no call nears the recorder's 4 h limit; the calls of an iteration are checked and deleted after it.
     */
    @State(Scope.Thread)
    public static class Recorder {
        RecordingService service;
        CallRecording call;
        long position;
        private final List<Finished> finished = new ArrayList<>();
        private Path dir;
        private int calls;
        private long droppedBefore;

        /** A call whose finish was requested, with the position it ended at. */
        private record Finished(CompletableFuture<Path> done, long endPosition) {
        }

        @Setup(Level.Trial)
        public void startService() throws IOException {
            dir = TempDirs.create("bench-rec");
            service = new RecordingService(dir, QUEUE_CHUNKS);
        }

        @Setup(Level.Iteration)
        public void startIteration() throws IOException {
            droppedBefore = service.droppedChunks();
            startCall();
        }

        /** Finishes the current call and starts the next one. */
        void nextCall() throws IOException {
            finishCall();
            startCall();
        }

        private void startCall() throws IOException {
            call = service.start(new CallMetadata("bench-" + calls++, "sip-call-id", "sip:caller@example.com",
                    "sip:agent@example.com", Instant.now(), "PCMU"));
            position = 0;
        }

        private void finishCall() {
            finished.add(new Finished(call.finish(new CallSummary(Instant.now(), position, "caller_bye", List.of())),
                    position));
        }

        /** Fails the run unless every call's call.json counts all its audio and nothing late, rejected or dropped. */
        @TearDown(Level.Iteration)
        public void finishCalls() throws Exception {
            finishCall();
            long frames = 0;
            long faults = 0;
            for (Finished f : finished) {
                Path directory = f.done().get(60, TimeUnit.SECONDS);
                JsonNode json = JSON.readTree(directory.resolve(CALL_JSON).toFile());
                long samples = json.at("/audio/samples").asLong();
                faults += json.at("/recorder/late_samples").asLong() + json.at("/recorder/rejected_samples").asLong()
                        + json.at("/recorder/dropped_chunks").asLong();
                if (samples != f.endPosition()) {
                    throw new IllegalStateException("recording not as written: " + json);
                }
                frames += samples;
                TempDirs.delete(directory);
            }
            finished.clear();
            System.out.printf("%n# recorder: %d chunks offered, %d dropped, %.1f s of stereo audio written%n",
                    2 * frames / FRAME, service.droppedChunks() - droppedBefore,
                    frames / (double) CallTimeline.SAMPLE_RATE);
            if (faults != 0) {
                throw new IllegalStateException(faults + " samples or chunks late, rejected or dropped");
            }
        }

        @TearDown(Level.Trial)
        public void stopService() {
            service.close();
            TempDirs.delete(dir);
        }
    }

    /** The same, with the queue emptied by the writer before each batch. */
    @State(Scope.Thread)
    public static class CaughtUp extends Recorder {
        @Setup(Level.Invocation)
        public void awaitWriter() throws IOException {
            while (service.queuedChunks() > 0) {
                LockSupport.parkNanos(WAIT_NANOS);
            }
            if (position >= CALL_FRAMES * FRAME) {
                nextCall();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long callerAndAssistant(CaughtUp s) {
        CallRecording call = s.call;
        long position = s.position;
        for (int i = 0; i < BATCH; i++, position += FRAME) {
            call.caller(position, CALLER, 0, FRAME);
            call.assistant(position, ASSISTANT, 0, FRAME);
        }
        s.position = position;
        return position;
    }

    @Benchmark
    public long sustainedWithWriter(Recorder s) throws IOException {
        s.call.caller(s.position, CALLER, 0, FRAME);
        s.call.assistant(s.position, ASSISTANT, 0, FRAME);
        s.position += FRAME;
        if (s.position == CALL_FRAMES * FRAME) {
            s.nextCall();
        }
        while (s.service.queuedChunks() > HIGH_WATER) {
            Thread.onSpinWait();
        }
        return s.position;
    }
}
