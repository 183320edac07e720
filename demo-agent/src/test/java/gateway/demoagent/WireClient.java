package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain JDK WebSocket client for the agent's tests, independent of the gateway: it queues what arrives (events,
 * the close, a failure) in order, and each read waits at most {@link #WAIT_MS}.
 */
final class WireClient implements WebSocket.Listener {

    static final long WAIT_MS = 5000;
    static final ObjectMapper JSON = new ObjectMapper();
    /** The agent's ids: a prefix, then 20 base-36 digits. */
    static final String ID_DIGITS = "_[0-9a-z]{20}";

    /** Something that arrived. */
    sealed interface Arrival {
    }

    /** A text frame, parsed. */
    record Event(JsonNode json) implements Arrival {
    }

    /** The server's close frame. */
    record Closed(int code, String reason) implements Arrival {
    }

    /** The connection failed (no close frame). */
    record Failed(Throwable error) implements Arrival {
    }

    private final LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    private WireClient() {
    }

    /** Opens a connection; fails as the JDK client does (a refused upgrade is a WebSocketHandshakeException). */
    static WireClient open(URI url) throws Exception {
        WireClient client = new WireClient();
        client.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(url, client)
                .get(WAIT_MS, TimeUnit.MILLISECONDS);
        return client;
    }

    WebSocket socket() {
        return ws;
    }

    void send(String json) throws Exception {
        ws.sendText(json, true).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    Arrival nextArrival() throws InterruptedException {
        Arrival a = arrivals.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(a, "nothing arrived within " + WAIT_MS + " ms");
        return a;
    }

    /** The next arrival, which must be an event. */
    JsonNode next() throws InterruptedException {
        Arrival a = nextArrival();
        return assertInstanceOf(Event.class, a, "expected an event, got " + a).json();
    }

    /** The next event, which must be of {@code type}. */
    JsonNode next(String type) throws InterruptedException {
        JsonNode e = next();
        assertEquals(type, e.path("type").asText(), e.toString());
        return e;
    }

    /** The events up to and with the first of {@code type}, in order. */
    List<JsonNode> until(String type) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        JsonNode e;
        do {
            e = next();
            events.add(e);
        } while (!e.path("type").asText().equals(type));
        return events;
    }

    /** The next arrival, which must be the server's close frame. */
    Closed nextClose() throws InterruptedException {
        Arrival a = nextArrival();
        return assertInstanceOf(Closed.class, a, "expected the close, got " + a);
    }

    /** Asserts {@code actual} equals {@code expected} but for its {@code event_id}, which must be the agent's. */
    static void assertEvent(String expected, JsonNode actual) throws Exception {
        ObjectNode copy = actual.deepCopy();
        String eventId = copy.remove("event_id").asText();
        assertTrue(eventId.matches("event" + ID_DIGITS), eventId);
        assertEquals(JSON.readTree(expected), copy);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                arrivals.add(new Event(JSON.readTree(partial.toString())));
            } catch (Exception e) {
                arrivals.add(new Failed(e));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        arrivals.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        arrivals.add(new Failed(error));
    }
}
