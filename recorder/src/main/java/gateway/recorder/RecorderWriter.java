package gateway.recorder;

import gateway.time.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of the "recorder-writer" thread: takes chunks and commands off the queues and owns every file handle
 * and window. Commands are handled after the audio that was queued before them, so a finish sees all of its call's
 * audio. Any failure is confined to its call; the loop itself only ends on {@link #requestStop}.
 */
final class RecorderWriter implements Runnable {

    private static final System.Logger LOG = System.getLogger(RecorderWriter.class.getName());
    /** Longest nap when idle: chunks wait at most this long, far less than the queue holds. */
    private static final long IDLE_PARK_NANOS = 10_000_000L;
    /** Header rewrite period: a crash loses at most this plus the window still in memory (0.5 + 0.5 s). */
    static final long HEADER_SYNC_NANOS = 500_000_000L;
    /** Chunks handled between looks at the command queue and the header clock. */
    private static final int MAX_BATCH = 256;

    private final AudioHandoff handoff;
    private final ConcurrentLinkedQueue<WriterCommand> commands = new ConcurrentLinkedQueue<>();
    private final Map<String, CallRecording> active = new ConcurrentHashMap<>();
    private final List<CallFiles> open = new ArrayList<>();
    private final Clock clock;
    private final Runnable beforeChunk;
    private final Runnable afterSync;
    private final int windowFrames;
    private final long maxPosition;
    private volatile boolean stopRequested;
    private volatile boolean terminated;
    private volatile Thread thread;
    private long lastSync;

    /**
     * {@code beforeChunk} and {@code afterSync} are test hooks run on this thread: before each chunk is written, and
     * after each periodic header rewrite has reached the files (so a test can read them knowing the rewrite is done).
     */
    RecorderWriter(AudioHandoff handoff, Clock clock, Runnable beforeChunk, Runnable afterSync, int windowFrames,
            long maxPosition) {
        this.handoff = handoff;
        this.clock = clock;
        this.beforeChunk = beforeChunk;
        this.afterSync = afterSync;
        this.windowFrames = windowFrames;
        this.maxPosition = maxPosition;
    }

    /** Registers a started call so shutdown can finish it. Any thread. */
    void register(CallRecording call) {
        active.put(call.id(), call);
    }

    /** Queues a command; it fails at once if the writer has already stopped. Any thread. */
    void submit(WriterCommand command) {
        commands.add(command);
        wake();
        if (terminated) {
            rejectPending();
        }
    }

    /** Asks the loop to finish the queued work, end open calls as "shutdown" and stop. Any thread. */
    void requestStop() {
        stopRequested = true;
        wake();
    }

    private void wake() {
        Thread writerThread = thread;
        if (writerThread != null) {
            LockSupport.unpark(writerThread);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        lastSync = clock.nanoTime();
        try {
            while (true) {
                boolean worked = runCommands();
                worked |= drainAudio(MAX_BATCH) > 0;
                syncIfDue();
                if (stopRequested && commands.isEmpty() && handoff.queued() == 0) {
                    break;
                }
                if (!worked) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
            }
            finishAll("shutdown");
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recorder writer stopped unexpectedly", e);
            throw e;
        } finally {
            terminated = true;
            rejectPending();
        }
    }

    private boolean runCommands() {
        boolean worked = false;
        WriterCommand command;
        while ((command = commands.poll()) != null) {
            drainAudio(handoff.queued());
            handle(command);
            worked = true;
        }
        return worked;
    }

    private int drainAudio(int limit) {
        int done = 0;
        while (done < limit) {
            Chunk chunk = handoff.poll();
            if (chunk == null) {
                break;
            }
            try {
                beforeChunk.run();
                filesOf(chunk.owner).write(chunk);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected error writing audio of call " + chunk.owner.id(), e);
            } finally {
                handoff.recycle(chunk);
            }
            done++;
        }
        return done;
    }

    private void handle(WriterCommand command) {
        CallRecording call = command.call();
        try {
            if (command instanceof WriterCommand.Checkpoint checkpoint) {
                filesOf(call).checkpoint(checkpoint.log());
            } else if (command instanceof WriterCommand.Finish finish) {
                finish(call, finish.summary());
            } else if (command instanceof WriterCommand.Discard) {
                discard(call);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "unexpected error recording call " + call.id(), e);
            call.completion().completeExceptionally(e);
        }
    }

    private void finish(CallRecording call, CallSummary summary) {
        CallFiles files = filesOf(call);
        if (files.finished()) {
            return;
        }
        open.remove(files);
        active.remove(call.id(), call);
        try {
            call.completion().complete(files.finish(summary, call.droppedChunks()));
        } catch (IOException e) {
            call.completion().completeExceptionally(e);
        }
    }

    private void discard(CallRecording call) {
        CallFiles files = filesOf(call);
        open.remove(files);
        active.remove(call.id(), call);
        try {
            call.completion().complete(files.discard());
        } catch (IOException e) {
            call.completion().completeExceptionally(e);
        }
    }

    private void finishAll(String reason) {
        for (CallRecording call : List.copyOf(active.values())) {
            CallFiles files = filesOf(call);
            try {
                finish(call, new CallSummary(Instant.now(), files.highWater(), reason, files.log()));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected error finishing call " + call.id(), e);
                call.completion().completeExceptionally(e);
            }
        }
    }

    private void syncIfDue() {
        long now = clock.nanoTime();
        if (now - lastSync >= HEADER_SYNC_NANOS) {
            lastSync = now;
            for (CallFiles files : open) {
                files.sync();
            }
            afterSync.run();
        }
    }

    private CallFiles filesOf(CallRecording call) {
        CallFiles files = call.files;
        if (files == null) {
            files = CallFiles.open(call.metadata(), call.directory(), windowFrames, maxPosition);
            call.files = files;
            open.add(files);
        }
        return files;
    }

    private void rejectPending() {
        WriterCommand command;
        while ((command = commands.poll()) != null) {
            command.call().completion().completeExceptionally(
                    new IllegalStateException("recording service is closed"));
        }
    }
}
