package gateway.testkit.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One connection to Chromium's DevTools protocol over its WebSocket, with the JDK's own WebSocket client: commands
 * are JSON messages with an id whose reply carries the same id; events carry a method name and, in flattened mode,
 * the session id of the page they come from. Commands may be sent from any thread; replies and events arrive on
 * the client's thread and complete futures or call handlers there.
 */
public final class DevTools implements AutoCloseable {

    /** How long a command may take before the test fails: every one used here answers in milliseconds. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private WebSocket socket;

    private record Subscription(String sessionId, String method, Predicate<JsonNode> filter,
                                Consumer<JsonNode> handler, boolean once) {
    }

    private DevTools() {
    }

    /** Connects to the browser's endpoint, e.g. {@code ws://127.0.0.1:PORT/devtools/browser/ID}. */
    static DevTools connect(URI endpoint) throws InterruptedException {
        DevTools devTools = new DevTools();
        try {
            devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(COMMAND_TIMEOUT)
                    .buildAsync(endpoint, devTools.new Listener())
                    .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no DevTools connection to " + endpoint, e);
        }
        return devTools;
    }

    /** Runs {@code method} in {@code sessionId} (null: the browser) and returns its result; a protocol error fails. */
    public JsonNode call(String sessionId, String method, Map<String, ?> params) throws InterruptedException {
        try {
            return send(sessionId, method, params).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(method + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(method + " got no answer within " + COMMAND_TIMEOUT, e);
        }
    }

    /**
     * The next event {@code method} of {@code sessionId} that passes {@code filter}, from now on: ask for it
     * before doing what causes it.
     */
    public CompletableFuture<JsonNode> next(String sessionId, String method, Predicate<JsonNode> filter) {
        CompletableFuture<JsonNode> event = new CompletableFuture<>();
        subscriptions.add(new Subscription(sessionId, method, filter, event::complete, true));
        return event;
    }

    /** Calls {@code handler} with the parameters of every event {@code method} of {@code sessionId}. */
    public void on(String sessionId, String method, Consumer<JsonNode> handler) {
        subscriptions.add(new Subscription(sessionId, method, p -> true, handler, false));
    }

    private synchronized CompletableFuture<JsonNode> send(String sessionId, String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).join();
        return reply;
    }

    private void receive(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("DevTools sent no JSON: " + text, e);
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asLong());
            if (reply != null && message.has("error")) {
                reply.completeExceptionally(new IllegalStateException(message.get("error").toString()));
            } else if (reply != null) {
                reply.complete(message.path("result"));
            }
            return;
        }
        String method = message.path("method").asText();
        String session = message.path("sessionId").asText(null);
        JsonNode params = message.path("params");
        for (Subscription s : subscriptions) {
            if (s.method.equals(method) && Objects.equals(s.sessionId, session) && s.filter.test(params)) {
                if (s.once) {
                    subscriptions.remove(s);
                }
                s.handler.accept(params);
            }
        }
    }

    private void failAll(Throwable cause) {
        pending.values().forEach(f -> f.completeExceptionally(cause));
        pending.clear();
    }

    @Override
    public void close() {
        socket.abort();
        failAll(new IllegalStateException("the DevTools connection is closed"));
    }

    /** Reassembles messages that arrive in parts (a screenshot is a few hundred kilobytes). */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException("DevTools closed the connection: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(error);
        }
    }
}
