package gateway.bench.recorder;

import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import gateway.library.CallJson;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.RecorderStats;
import gateway.library.RecordingFormat;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.nio.file.Files;
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
 * The event loop's side of recording through a real {@link RecordingService} (the gateway's default 5 s buffers, its
 * writer thread writing to tmpfs): {@link CallRecording#caller} + {@link CallRecording#assistant} of 480 samples
 * each per operation, what a media loop does per call per 20 ms, round robin over {@value #CALLS} open calls so the
 * blocks are as cold as in a loaded gateway. Measured in batches of {@value #BATCH} operations (0.2 s of audio per
 * call), each started once the writer has drained the buffers to a quarter of their limit (the wait is not
 * measured), so nothing is lost. The writer runs four passes a second whatever the load, so its own cost is not a
 * time per operation here: {@link RecorderWriterCpu} measures it in real time. Each iteration's calls are then
 * finished and checked in their call.json (every sample written, none late, rejected or lost) and deleted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordingHandoffBenchmark {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;
    /** The gateway's default recordings.buffer-seconds. */
    private static final int BUFFER_SECONDS = 5;
    private static final int CALLS = 300;
    /** Operations per measured batch: 10 frames (0.2 s) for each call, far inside its 5 s buffer. */
    static final int BATCH = 10 * CALLS;
    /** Operations per call before it is replaced: 1 h of audio, inside the recorder's 4 h limit. */
    private static final long CALL_FRAMES = 180_000;
    /** How long the wait for the writer sleeps between looks. */
    private static final long WAIT_NANOS = 50_000;

    private static final short[] CALLER = SpeechLevelTone.pcm(300, CallTimeline.SAMPLE_RATE, FRAME);
    private static final short[] ASSISTANT = SpeechLevelTone.pcm(1000, CallTimeline.SAMPLE_RATE, FRAME);

    /** The service and its open calls; a call is replaced after {@value #CALL_FRAMES} of its frames. */
    @State(Scope.Thread)
    public static class Recorder {
        final int calls = CALLS;
        RecordingService service;
        CallRecording[] open;
        long[] positions;
        int next;
        private final List<Finished> finished = new ArrayList<>();
        private Path dir;
        private int started;
        private long lostBefore;

        /** A call whose finish was requested, with the position it ended at. */
        private record Finished(CompletableFuture<Path> done, long endPosition) {
        }

        @Setup(Level.Trial)
        public void startService() throws IOException {
            dir = TempDirs.create("bench-rec");
            service = new RecordingService(dir, new RecorderSettings(BUFFER_SECONDS, calls));
            open = new CallRecording[calls];
            positions = new long[calls];
        }

        @Setup(Level.Iteration)
        public void startIteration() throws IOException {
            lostBefore = service.lostSamples();
            for (int i = 0; i < calls; i++) {
                startCall(i);
            }
        }

        /** Writes one 20 ms stereo frame to the next call of the round robin. */
        final void writeFrame() throws IOException {
            int i = next;
            next = i + 1 == calls ? 0 : i + 1;
            long p = positions[i];
            CallRecording call = open[i];
            call.caller(p, CALLER, 0, FRAME);
            call.assistant(p, ASSISTANT, 0, FRAME);
            positions[i] = p + FRAME;
            if (positions[i] == CALL_FRAMES * FRAME) {
                finishCall(i);
                startCall(i);
            }
        }

        /** Before each batch: waits until the writer has drained the buffers to a quarter of their limit. */
        @Setup(Level.Invocation)
        public void awaitWriter() {
            while (service.bufferedBytes() > service.bufferLimitBytes() / 4) {
                LockSupport.parkNanos(WAIT_NANOS);
            }
        }

        private void startCall(int i) throws IOException {
            open[i] = service.start(new CallMetadata("bench-" + started++, "sip-call-id", "sip:caller@example.com",
                    "sip:agent@example.com", Instant.now(), "PCMU"));
            positions[i] = 0;
        }

        private void finishCall(int i) {
            finished.add(new Finished(
                    open[i].finish(new CallSummary(Instant.now(), positions[i], "caller_bye", List.of())),
                    positions[i]));
        }

        /** Fails the run unless every call's call.json counts all its audio and nothing late, rejected or lost. */
        @TearDown(Level.Iteration)
        public void finishCalls() throws Exception {
            for (int i = 0; i < calls; i++) {
                finishCall(i);
            }
            long frames = 0;
            long faults = 0;
            for (Finished f : finished) {
                Path directory = f.done().get(60, TimeUnit.SECONDS);
                CallRecord call = CallJson.read(Files.readAllBytes(directory.resolve(RecordingFormat.CALL_JSON_FILE)));
                RecorderStats stats = call.stats();
                long samples = stats.frames();
                faults += stats.lateSamples() + stats.rejectedSamples() + stats.lostSamples();
                if (samples != f.endPosition()) {
                    throw new IllegalStateException("recording not as written: " + call);
                }
                frames += samples;
                TempDirs.delete(directory);
            }
            finished.clear();
            System.out.printf("%n# recorder: %d frames written, %d samples lost, %.1f s of stereo audio written%n",
                    frames / FRAME, service.lostSamples() - lostBefore, frames / (double) CallTimeline.SAMPLE_RATE);
            if (faults != 0) {
                throw new IllegalStateException(faults + " samples late, rejected or lost");
            }
        }

        @TearDown(Level.Trial)
        public void stopService() {
            service.close();
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int callerAndAssistant(Recorder s) throws IOException {
        for (int i = 0; i < BATCH; i++) {
            s.writeFrame();
        }
        return s.next;
    }
}
