package gateway.realtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Test listener: queues events, joins audio per response, logs the order of everything, records the close. */
public final class RecordingListener implements RealtimeListener {

    /** Closing status and reason. */
    public record Closed(int status, String reason) {
    }

    private final List<ServerEvent> events = new ArrayList<>();
    private final Map<String, short[]> audio = new LinkedHashMap<>();
    private final Map<String, byte[]> codes = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    public final CompletableFuture<Closed> closed = new CompletableFuture<>();
    public final AtomicInteger closedCalls = new AtomicInteger();
    public volatile Thread callbackThread;

    @Override
    public void onEvent(ServerEvent event) {
        callbackThread = Thread.currentThread();
        synchronized (this) {
            log.add(event.type());
            events.add(event);
            notifyAll();
        }
    }

    @Override
    public synchronized void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
        callbackThread = Thread.currentThread();
        log.add("delta " + responseId + " " + itemId);
        notifyAll();
        short[] old = audio.getOrDefault(responseId, new short[0]);
        short[] joined = Arrays.copyOf(old, old.length + length);
        System.arraycopy(pcm24k, offset, joined, old.length, length);
        audio.put(responseId, joined);
    }

    @Override
    public synchronized void onAudioCodes(String responseId, String itemId, byte[] sent, int offset, int length) {
        callbackThread = Thread.currentThread();
        log.add("codes " + responseId + " " + itemId);
        notifyAll();
        byte[] old = codes.getOrDefault(responseId, new byte[0]);
        byte[] joined = Arrays.copyOf(old, old.length + length);
        System.arraycopy(sent, offset, joined, old.length, length);
        codes.put(responseId, joined);
    }

    /** The G.711 codes of a response's deltas so far, joined (a session in pcmu or pcma); empty if none. */
    public synchronized byte[] codes(String responseId) {
        return codes.getOrDefault(responseId, new byte[0]);
    }

    @Override
    public void onClosed(int statusCode, String reason) {
        closedCalls.incrementAndGet();
        closed.complete(new Closed(statusCode, reason));
    }

    /** Waits for the first event of {@code type} (received so far or later). */
    public <T extends ServerEvent> T await(Class<T> type, long timeoutMs) throws InterruptedException {
        return await(type, e -> true, timeoutMs);
    }

    /** Waits for the first event of {@code type} matching {@code test}. */
    public synchronized <T extends ServerEvent> T await(Class<T> type, Predicate<T> test, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            for (ServerEvent e : events) {
                if (type.isInstance(e) && test.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail("no matching " + type.getSimpleName() + " within " + timeoutMs + " ms; log: " + log);
            }
            wait(left);
        }
    }

    /** Waits until {@code count} events match {@code test}; returns the first {@code count} of them in order. */
    public synchronized List<ServerEvent> awaitEvents(Predicate<ServerEvent> test, int count, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            List<ServerEvent> matching = events.stream().filter(test).limit(count).toList();
            if (matching.size() == count) {
                return matching;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail("only " + matching.size() + " of " + count + " matching events within " + timeoutMs
                        + " ms; log: " + log);
            }
            wait(left);
        }
    }

    /** Waits until at least {@code minSamples} samples of the response arrived. */
    public synchronized short[] awaitAudio(String responseId, int minSamples, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (audio(responseId).length < minSamples) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail("only " + audio(responseId).length + " samples of " + responseId + "; log: " + log);
            }
            wait(left);
        }
        return audio(responseId);
    }

    public synchronized List<ServerEvent> events() {
        return List.copyOf(events);
    }

    public synchronized short[] audio(String responseId) {
        return audio.getOrDefault(responseId, new short[0]);
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }
}
