package gateway.qa;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One supervisor's live feed of a call: the call side of a listen socket ({@link ListenSocket}). */
public interface ListenFeed {

    /** The caller's channel in {@link Frames#frame}. */
    int CALLER = 0;
    /** The assistant's channel in {@link Frames#frame}. */
    int ASSISTANT = 1;

    /** Receives audio: PCM16 at 24 kHz of one channel, at recording {@code position}, taken at {@code capturedAtMs}. */
    @FunctionalInterface
    interface Frames {
        void frame(int channel, long position, long capturedAtMs, short[] pcm, int offset, int length);
    }

    /** Hands everything queued since the last call to {@code frames} and {@code events} (JSON); never blocks. */
    void drain(Frames frames, Consumer<String> events);

    /** Frames and events dropped so far because this listener was behind. */
    long dropped();

    /** Completes when the call has ended (on the call's thread: hop before acting). */
    CompletableFuture<Void> ended();

    /** The listener has gone: the call stops feeding it. Any thread. */
    void close();
}
