package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The events.* keys: off by default, checked with the key named, the secret never repeated. */
class EventsConfigTest {

    private static final String SECRET = "events-signing-secret-1";

    @Test
    void noUrlNoEventsAndTheQueueUnderTheRecordings() throws ConfigException {
        GatewayConfig.Events events = ConfigLoader.load(List.of("--recordings.dir=/data/calls"), Map.of()).events();
        assertFalse(events.enabled());
        assertNull(events.webhookUrl());
        assertEquals(Path.of("/data/calls/.events"), events.queueDir());
        assertEquals(10_000, events.maxQueued());
    }

    @Test
    void aUrlASecretAndAQueueDirectory() throws ConfigException {
        GatewayConfig.Events events = ConfigLoader.load(List.of("--events.webhook-url=https://crm.example/hooks",
                "--events.secret=" + SECRET, "--events.queue-dir=/var/spool/events", "--events.max-queued=500"),
                Map.of()).events();
        assertTrue(events.enabled() && events.signed());
        assertEquals(URI.create("https://crm.example/hooks"), events.webhookUrl());
        assertEquals(Path.of("/var/spool/events"), events.queueDir());
        assertEquals(500, events.maxQueued());
        assertFalse(events.toString().contains(SECRET), events.toString());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("events.webhook-url", failure("--events.webhook-url=ftp://crm.example/x").key());
        assertEquals("events.webhook-url", failure("--events.webhook-url=https://user:pw@crm.example/x").key());
        ConfigException shortSecret = failure("--events.webhook-url=http://127.0.0.1:9/x", "--events.secret=xyzzy42");
        assertEquals("events.secret", shortSecret.key());
        assertFalse(shortSecret.getMessage().contains("xyzzy42"), shortSecret.getMessage());
        assertEquals("events.secret", failure("--events.secret=" + SECRET).key());
        assertEquals("events.max-queued", failure("--events.max-queued=5").key());
    }

    private static ConfigException failure(String... flags) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(flags), Map.of()));
    }
}
