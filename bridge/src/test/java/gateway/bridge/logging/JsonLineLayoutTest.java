package gateway.bridge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.transport.CallLogContext;
import org.junit.jupiter.api.Test;

class JsonLineLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private final JsonLineLayout layout = new JsonLineLayout();

    private String lineOf(String message, Throwable thrown, Object... args) {
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("gateway.bridge.call.Call"), Level.WARN,
                message, thrown, args);
        event.setTimeStamp(1_796_961_600_123L);
        return layout.doLayout(event);
    }

    @Test
    void aCallsLineIsOneObjectWithItsIds() throws Exception {
        CallLogContext.Ids previous = CallLogContext.enter(new CallLogContext.Ids("20261206T040000Z-0a1b2c3d",
                "abc@10.0.0.1"));
        String line;
        try {
            line = lineOf("call {}: said \"hi\"\nthen left", null, "20261206T040000Z-0a1b2c3d");
        } finally {
            CallLogContext.exit(previous);
        }
        assertTrue(line.endsWith("}\n"), line);
        assertEquals(1, line.split("\n").length, "one line: " + line);
        JsonNode json = JSON.readTree(line);
        assertEquals("2026-12-11T04:00:00.123Z", json.get("timestamp").asText());
        assertEquals("WARN", json.get("level").asText());
        assertEquals("gateway.bridge.call.Call", json.get("logger").asText());
        assertEquals("call 20261206T040000Z-0a1b2c3d: said \"hi\"\nthen left", json.get("message").asText());
        assertEquals("20261206T040000Z-0a1b2c3d", json.get("call_id").asText());
        assertEquals("abc@10.0.0.1", json.get("sip_call_id").asText());
        assertFalse(json.has("exception"), line);
    }

    @Test
    void aLineAboutNoCallHasNoIdsAndCarriesItsException() throws Exception {
        JsonNode json = JSON.readTree(lineOf("disk full", new IllegalStateException("no space")));
        assertFalse(json.has("call_id"));
        assertFalse(json.has("sip_call_id"));
        assertEquals("disk full", json.get("message").asText());
        assertTrue(json.get("exception").asText().startsWith("java.lang.IllegalStateException: no space"),
                json.get("exception").asText());
        assertTrue(json.get("exception").asText().contains("at gateway.bridge.logging.JsonLineLayoutTest"));
    }

    @Test
    void theTextLayoutShowsTheIdsInBrackets() {
        TextLineLayout text = new TextLineLayout();
        text.setContext(context);
        text.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("gateway.bridge.call.Call"), Level.INFO,
                "call answered", null, null);
        String line = CallLogContextProbe.within(new CallLogContext.Ids("C1", "S1"), () -> text.doLayout(event));
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
                + " INFO  gateway\\.bridge\\.call\\.Call \\[C1 S1]: call answered\\R"), line);
        assertTrue(text.doLayout(event).contains(" INFO  gateway.bridge.call.Call: call answered"));
    }
}
