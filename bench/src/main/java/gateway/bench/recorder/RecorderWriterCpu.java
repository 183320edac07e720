package gateway.bench.recorder;

import gateway.bench.SpeechLevelTone;
import gateway.bench.TempDirs;
import gateway.library.CallMetadata;
import gateway.recorder.CallRecording;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The recorder's CPU per 20 ms stereo frame under a live-like load, which a one-thread JMH benchmark cannot show
 * (the cost is mostly cache lines moving between the cores of the event loops and the writer): two producer threads
 * (the media loops) each feed half of the calls in real time (both legs, 480 samples every 20 ms) through the real
 * {@link RecordingService}, whose writer thread writes them to tmpfs. Prints the writer thread's and the producers'
 * CPU time per frame (from the JVM's per-thread CPU clock) and the samples lost.
 * Usage: {@code java -cp bench/target/benchmarks.jar gateway.bench.recorder.RecorderWriterCpu [calls=300]
 * [warmupSeconds=10] [seconds=20]}
 */
public final class RecorderWriterCpu {

    private static final int FRAME = 480;
    private static final long TICK_NANOS = 20_000_000L;

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path dir = TempDirs.create("bench-writer-cpu");
        RecordingService service = new RecordingService(dir, new RecorderSettings(5, calls));
        CallRecording[] recs = new CallRecording[calls];
        for (int i = 0; i < calls; i++) {
            recs[i] = service.start(new CallMetadata("c" + i, "x", "a", "b", Instant.now(), "PCMU"));
        }
        short[] caller = SpeechLevelTone.pcm(300, 24_000, FRAME);
        short[] assistant = SpeechLevelTone.pcm(1000, 24_000, FRAME);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> loops = new ArrayList<>();
        long start = System.nanoTime() + 100_000_000L;
        for (int loop = 0; loop < 2; loop++) {
            int first = loop;
            Thread t = new Thread(() -> {
                long next = start;
                long position = 0;
                while (!stop.get()) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    for (int i = first; i < calls; i += 2) {
                        recs[i].caller(position, caller, 0, FRAME);
                        recs[i].assistant(position, assistant, 0, FRAME);
                    }
                    position += FRAME;
                    next += TICK_NANOS;
                }
            }, "media-" + loop);
            loops.add(t);
            t.start();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long writerId = -1;
        for (ThreadInfo info : mx.dumpAllThreads(false, false)) {
            if (info.getThreadName().equals("recorder-writer")) {
                writerId = info.getThreadId();
            }
        }
        TimeUnit.SECONDS.sleep(warmup);
        long w0 = mx.getThreadCpuTime(writerId);
        long p0 = mx.getThreadCpuTime(loops.get(0).threadId()) + mx.getThreadCpuTime(loops.get(1).threadId());
        long d0 = service.lostSamples();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long w1 = mx.getThreadCpuTime(writerId);
        long p1 = mx.getThreadCpuTime(loops.get(0).threadId()) + mx.getThreadCpuTime(loops.get(1).threadId());
        long d1 = service.lostSamples();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread t : loops) {
            t.join();
        }
        double frames = calls * ((t1 - t0) / (double) TICK_NANOS);
        System.out.printf("# recorder: %d calls, %.1f s: writer %.0f ns CPU per 20 ms stereo frame (%.2f %% of a core"
                        + " in all), producers %.0f ns per frame (both legs), samples lost: %d%n", calls,
                (t1 - t0) / 1e9, (w1 - w0) / frames, 100.0 * (w1 - w0) / (t1 - t0), (p1 - p0) / frames, d1 - d0);
        service.close();
        TempDirs.delete(dir);
    }
}
