package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container image's configuration file loads with this code (no Docker engine is needed to check that). */
class DockerConfigTest {

    private static final Path FILE = Path.of("..", "docker", "gateway.yaml");

    @Test
    void containerConfigLoadsAndTalksToTheRealService() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of("--config", FILE.toString()), Map.of("OPENAI_API_KEY", "sk-x"));
        assertEquals(5060, c.sip().port());
        assertEquals(Path.of("/data/recordings"), c.recordings().dir());
        assertEquals(URI.create("wss://api.openai.com/v1/realtime?model=gpt-realtime"), c.realtime().url());
        assertFalse(c.realtime().useDemoAgent());
        assertEquals("127.0.0.1", c.http().listen());
    }
}
