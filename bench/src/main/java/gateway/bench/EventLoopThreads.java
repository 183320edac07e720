package gateway.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads made like Netty's event-loop threads ({@link FastThreadLocalThread}s), for the benchmarks
 * that drive channels. Netty 4.2 pools its per-write and per-buffer objects (outbound buffer entries, allocator
 * caches) only on such threads; on a plain thread a write through a channel allocates 64 bytes that it never
 * allocates in the gateway. A benchmark selects it with {@code @Fork(jvmArgsPrepend = {EXECUTOR, EXECUTOR_CLASS})}.
 */
public final class EventLoopThreads extends ThreadPoolExecutor {

    /** The JVM flags that make JMH run its benchmark threads from this class. */
    public static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    public static final String EXECUTOR_CLASS = "-Djmh.executor.class=gateway.bench.EventLoopThreads";

    private static final long KEEP_ALIVE_SECONDS = 60;

    /** The constructor JMH's CUSTOM executor type calls. */
    public EventLoopThreads(int threads, String prefix) {
        super(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }

    /** Fails a benchmark's set-up when it is not running on such a thread (its figures would not be the gateway's). */
    public static void require() {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            throw new IllegalStateException("run with @Fork(jvmArgsPrepend = {EventLoopThreads.EXECUTOR, "
                    + "EventLoopThreads.EXECUTOR_CLASS}): Netty allocates per write on a plain thread");
        }
    }
}
