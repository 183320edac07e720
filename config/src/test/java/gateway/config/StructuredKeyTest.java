package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A structured key's YAML subtree is kept whole, as the JSON a flag would give; other keys are flattened. */
class StructuredKeyTest {

    private static final String YAML = """
            sip:
              port: 5070
            agent:
              tools:
                - name: lookup
                  url: http://127.0.0.1:9000/lookup
                  timeout-ms: 800
                - name: close
            """;

    @Test
    void aStructuredKeysSubtreeIsKeptAsJsonAndTheRestIsFlattened() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(YAML);
        Map<String, String> flat = new LinkedHashMap<>();
        ConfigLoader.flatten("", root, flat, "agent.tools"::equals);
        assertEquals("5070", flat.get("sip.port"));
        assertEquals("[{\"name\":\"lookup\",\"url\":\"http://127.0.0.1:9000/lookup\",\"timeout-ms\":800},"
                + "{\"name\":\"close\"}]", flat.get("agent.tools"));
        assertEquals(2, flat.size());
    }

    @Test
    void aListUnderAPlainKeyIsRefusedWithItsName() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(YAML);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.flatten("", root, new LinkedHashMap<>(), key -> false));
        assertTrue(e.getMessage().contains("agent.tools"), e.getMessage());
    }

    @Test
    void theJsonTextIsReadBackOrRefusedNamingTheKey() throws Exception {
        ConfigKey key = ConfigKey.AGENT_INSTRUCTIONS;
        assertEquals("lookup", ConfigLoader.structured(key, "[{\"name\":\"lookup\"}]").get(0).get("name").asText());
        assertTrue(ConfigLoader.structured(key, " ").isMissingNode());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.structured(key, "[{name: x"));
        assertTrue(e.getMessage().startsWith("agent.instructions"), e.getMessage());
    }
}
