package gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads and checks the {@code events.*} keys; every message names its key and never repeats the secret. */
final class EventsConfig {

    /** Where undelivered events wait when {@code events.queue-dir} is empty, under the recordings directory. */
    static final String DEFAULT_QUEUE_DIR = ".events";
    /** Fewer than this would drop events within minutes of a receiver outage on a busy gateway. */
    static final int MIN_QUEUED = 100;
    /** Events are under 1 KB each: a million is a gigabyte of disk at most. */
    static final int MAX_QUEUED = 1_000_000;

    private EventsConfig() {
    }

    static GatewayConfig.Events parse(Map<ConfigKey, String> v, Path recordingsDir) throws ConfigException {
        String raw = v.get(ConfigKey.EVENTS_WEBHOOK_URL).trim();
        URI url = raw.isEmpty() ? null
                : AgentConfig.url(raw, ConfigKey.EVENTS_WEBHOOK_URL.key(), List.of("http", "https"));
        String secret = v.get(ConfigKey.EVENTS_SECRET).trim();
        if (!secret.isEmpty() && secret.length() < AgentConfig.MIN_SECRET_CHARS) {
            throw new ConfigException(ConfigKey.EVENTS_SECRET.key(), "is too short to be a secret: use at least "
                    + AgentConfig.MIN_SECRET_CHARS + " characters");
        }
        if (!secret.isEmpty() && url == null) {
            throw new ConfigException(ConfigKey.EVENTS_SECRET.key(), "needs events.webhook-url");
        }
        String dir = v.get(ConfigKey.EVENTS_QUEUE_DIR).trim();
        Path queueDir = dir.isEmpty() ? recordingsDir.resolve(DEFAULT_QUEUE_DIR) : Path.of(dir);
        int maxQueued = ConfigLoader.boundedInt(ConfigKey.EVENTS_MAX_QUEUED, v, MIN_QUEUED, MAX_QUEUED);
        return new GatewayConfig.Events(url, secret, queueDir, maxQueued);
    }
}
