package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Any client text frame through the demo agent's event checks and dispatch ({@link SessionEvents#onText}), as a
 * gateway (or anyone reaching its port) may send it: nothing escapes; a refused frame gets exactly one
 * {@code error} naming the client's event_id when it had a textual one, and changes nothing else. Seeds: the
 * gateway's client events as the tests and {@code docs/realtime-protocol.md} show them
 * ({@code ClientEventFuzzTestInputs}).
 */
class ClientEventFuzzTest {

    /** The replies' timers; one thread for the whole run, never started by a refused frame. */
    private static final ScheduledExecutorService LOOP = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-agent-fuzz");
        t.setDaemon(true);
        return t;
    });

    /** What the session sent and refused. */
    private static final class Sink implements EventSink {
        final List<ObjectNode> sent = new ArrayList<>();
        final List<String> refusedIds = new ArrayList<>();
        final List<InvalidEvent> refusals = new ArrayList<>();

        @Override
        public void send(ObjectNode event) {
            sent.add(event);
        }

        @Override
        public void refuse(InvalidEvent refusal, String clientEventId) {
            refusals.add(refusal);
            refusedIds.add(clientEventId);
        }
    }

    @FuzzTest(maxDuration = gateway.testkit.FuzzInvariants.FUZZ_DURATION)
    void aFrameIsActedOnOrRefusedOnce(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Sink sink = new Sink();
        SessionConfig config = new SessionConfig(DemoEvents.defaultSession("sess_fuzz", "gpt-realtime",
                Long.MAX_VALUE / 2));
        SessionEvents events = new SessionEvents(config, DemoScript.defaults(), new DemoConnection(1, true), sink,
                LOOP, (type, frame) -> { });
        events.start();
        int announced = sink.sent.size();
        String before = config.session().toString();
        try {
            events.onText(text, true);
        } finally {
            events.stop();
        }
        assertTrue(sink.refusals.size() <= 1, "one error at most: " + sink.refusals);
        if (!sink.refusals.isEmpty()) {
            InvalidEvent refusal = sink.refusals.get(0);
            assertNotNull(refusal.getMessage(), "the error says why");
            assertEquals(announced, sink.sent.size(), "a refused frame sends nothing else");
            assertEquals(before, config.session().toString(), "a refused frame changes nothing");
        }
    }
}
