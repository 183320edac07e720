package gateway.bridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gateway.bridge.call.CallEvent;
import gateway.bridge.tools.WebhookClient;
import gateway.bridge.tools.WebhookSignature;
import gateway.library.CallUsage;
import gateway.storage.Backoff;
import gateway.testkit.Await;
import gateway.time.ManualScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call events over real HTTP to the JDK's server on loopback, the sender's back-off on a manual clock: a receiver
 * that is down and then answers 503 loses nothing, even across a restart of the sender; each event arrives once,
 * in order per call, signed; a 4xx drops one event and the next goes on; the queue's bound drops the oldest.
 */
class CallEventSenderTest {

    private static final String SECRET = "call-events-test-secret";
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = 1_000_000_000L;
    private static final InstantSource WALL = InstantSource.fixed(Instant.parse("2026-12-06T01:00:00Z"));

    @TempDir
    Path queueDir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** What the receiver got: the body, and whether its signature verifies. */
    private record Received(JsonNode body, boolean signed) {
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aReceiverDownThenFailingThenUpGetsEveryEventOnceInOrderAcrossARestart() throws Exception {
        int port = freePort();
        CallEventSender first = sender(port, 100);
        first.observe("call-a", new CallEvent.Started("default", "sip:alice@x", "sip:bot@y", "abc@x", "127.0.0.1"));
        first.observe("call-b", new CallEvent.Started("sales", "sip:bob@x", "sip:bot@y", "def@x", "127.0.0.1"));
        first.observe("call-a", new CallEvent.Answered("PCMU"));
        awaitRetries(first, 1);
        assertEquals(3, first.queued());
        assertEquals(3, queuedFiles(), "each event is on disk once it counts as queued");
        assertWait(first, SECOND / 2, SECOND, "the first wait: up to 1 s");
        scheduler.advanceNanos(first.nextAttemptNanos() - scheduler.nanoTime() - 1);
        scheduler.runDue();
        assertTrue(first.nextAttemptNanos() > 0, "the retry still waits a nanosecond before its time");
        assertEquals(1, first.retried());
        scheduler.advanceNanos(1);
        awaitRetries(first, 2);
        assertWait(first, SECOND, 2 * SECOND, "the second wait doubles");
        first.observe("call-a", new CallEvent.Ended("caller_bye", true, 4_020, new CallUsage(2, 10, 200, 0, 30, 400)));
        Await.until(() -> {
            scheduler.runDue();
            return first.queued() == 4;
        }, WITHIN, () -> "queued " + first.queued());
        first.close();
        scheduler.runDue();
        assertEquals(0, first.delivered());
        assertEquals(4, queuedFiles(), "nothing delivered, nothing lost");

        // A restart: the receiver is up but answers 503 to its first request, then 200.
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        receiver(port, received, () -> requests.incrementAndGet() == 1 ? 503 : 200);
        CallEventSender second = sender(port, 100);
        awaitRetries(second, 1);
        assertEquals(1, requests.get());
        scheduler.advanceNanos(SECOND);
        Await.until(() -> {
            scheduler.runDue();
            return second.delivered() == 4;
        }, WITHIN, () -> "delivered " + second.delivered() + " of 4, received " + received);
        assertEquals(0, queuedFiles());
        assertEquals(0, second.waiting());
        assertEquals(0, second.dropped());

        assertEquals(List.of("call.started call-a 1", "call.started call-b 1", "call.answered call-a 2",
                "call.ended call-a 3"), received.stream().map(r -> r.body().path("type").asText() + " "
                + r.body().path("call_id").asText() + " " + r.body().path("sequence").asLong()).toList());
        assertTrue(received.stream().allMatch(Received::signed), "every event is signed: " + received);
        assertEquals(4, new HashSet<>(received.stream().map(r -> r.body().path("id").asText()).toList()).size(),
                "each event has its own id");
        JsonNode started = received.get(0).body();
        assertEquals("2026-12-06T01:00:00Z", started.path("at").asText());
        assertEquals(JSON.readTree("{\"profile\":\"default\",\"from\":\"sip:alice@x\",\"to\":\"sip:bot@y\","
                + "\"sip_call_id\":\"abc@x\",\"source\":\"127.0.0.1\"}"), started.path("data"));
        JsonNode ended = received.get(3).body().path("data");
        assertEquals("caller_bye", ended.path("end_reason").asText());
        assertEquals(4_020, ended.path("duration_ms").asLong());
        assertEquals("http://qa.example/api/calls/call-a", ended.path("recording_url").asText());
        assertEquals(640, ended.path("usage").path("total_tokens").asLong());
        assertEquals(2, ended.path("usage").path("responses").asLong());
    }

    @Test
    void aRefusedEventIsDroppedAndCountedAndTheNextOneGoesOn() throws Exception {
        int port = freePort();
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        receiver(port, received, () -> requests.incrementAndGet() == 1 ? 400 : 204);
        CallEventSender sender = sender(port, 100);
        sender.observe("call-a", new CallEvent.Started("default", "sip:a@x", "sip:b@y", "c@x", "127.0.0.1"));
        sender.observe("call-a", new CallEvent.Ended("cancelled", false, 0, CallUsage.NONE));
        Await.until(() -> {
            scheduler.runDue();
            return sender.delivered() + sender.dropped() == 2;
        }, WITHIN, () -> "received " + received);
        assertEquals(1, sender.dropped(), "a 400 would come back the same: dropped");
        assertEquals(1, sender.delivered());
        assertEquals(0, sender.retried());
        assertEquals(-1, sender.nextAttemptNanos(), "no retry waits");
        assertEquals(List.of("call.ended"), received.stream().map(r -> r.body().path("type").asText()).toList());
        JsonNode ended = received.get(0).body().path("data");
        assertTrue(ended.path("recording_url").isNull(), "a call never answered has no recording: " + ended);
        assertEquals(0, queuedFiles());
    }

    @Test
    void pastItsBoundTheQueueDropsTheOldestWaitingEvent() throws Exception {
        int port = freePort();
        CallEventSender sender = sender(port, 2);
        for (int i = 1; i <= 4; i++) {
            sender.observe("call-" + i, new CallEvent.Answered("PCMA"));
        }
        Await.until(() -> {
            scheduler.runDue();
            return sender.queued() == 4;
        }, WITHIN, () -> "queued " + sender.queued());
        assertEquals(2, sender.dropped());
        assertEquals(2, sender.waiting());
        assertEquals(2, queuedFiles());
        List<Received> received = new CopyOnWriteArrayList<>();
        receiver(port, received, () -> 200);
        Await.until(() -> {
            scheduler.advanceNanos(60 * SECOND);
            return sender.delivered() == 2;
        }, WITHIN, () -> "delivered " + sender.delivered());
        List<String> calls = received.stream().map(r -> r.body().path("call_id").asText()).toList();
        assertEquals(2, calls.size(), calls.toString());
        assertEquals("call-4", calls.get(1), "the newest is kept; the oldest waiting ones were dropped: " + calls);
        assertTrue(calls.get(0).compareTo(calls.get(1)) < 0, "in order: " + calls);
    }

    @Test
    void theWaitDoublesFromOneSecondUpToAMinute() {
        Backoff backoff = CallEventSender.newBackoff(new SplittableRandom(1));
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), Stream.of(1, 2, 3, 4, 5, 6, 7, 30)
                .map(n -> backoff.ceiling(n) / 1_000).toList());
    }

    /** The waiting retry is due between {@code min} and {@code max} nanoseconds from now. */
    private void assertWait(CallEventSender sender, long min, long max, String what) {
        long wait = sender.nextAttemptNanos() - scheduler.nanoTime();
        assertTrue(wait >= min && wait <= max, what + ": " + wait + " ns");
    }

    private CallEventSender sender(int port, int maxQueued) throws IOException {
        WebhookClient client = new WebhookClient(SECRET, InstantSource.system());
        closing.add(client);
        CallEventSender sender = new CallEventSender(URI.create("http://127.0.0.1:" + port + "/events"),
                new EventQueue(queueDir), maxQueued, client, scheduler, WALL, id -> "http://qa.example/api/calls/" + id,
                CallEventSender.newBackoff(new SplittableRandom(7)));
        closing.add(sender);
        return sender;
    }

    private void awaitRetries(CallEventSender sender, long retries) throws InterruptedException {
        Await.until(() -> {
            scheduler.runDue();
            return sender.retried() >= retries;
        }, WITHIN, () -> "retried " + sender.retried());
    }

    private long queuedFiles() throws IOException {
        try (Stream<Path> files = Files.list(queueDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private void receiver(int port, List<Received> received, IntSupplier status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/events", exchange -> {
            int code = status.getAsInt();
            if (code < 300) {
                received.add(received(exchange));
            } else {
                exchange.getRequestBody().readAllBytes();
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        closing.add(() -> server.stop(0));
    }

    private static Received received(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
        String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
        boolean signed = timestamp != null
                && new WebhookSignature(SECRET).sign(Long.parseLong(timestamp), body).equals(signature);
        return new Received(JSON.readTree(new String(body, StandardCharsets.UTF_8)), signed);
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
