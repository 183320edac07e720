package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's keys: tools and MCP servers as YAML lists (or JSON in a flag), voice settings, greeting and silence;
 * every refusal names the key down to the list element, never repeats a secret, and a profile's copy of a key is
 * named as the operator wrote it.
 */
class AgentConfigTest {

    private static final String SECRET = "s3cr3t-signing-key-for-tests";

    @TempDir
    Path dir;

    private GatewayConfig.Agent load(String yaml, String... flags) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        List<String> args = new ArrayList<>(List.of("--config", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(args, Map.of()).agent();
    }

    private ConfigException refused(String yaml, String... flags) {
        return assertThrows(ConfigException.class, () -> load(yaml, flags));
    }

    @Test
    void theDefaultsOfferEndCallAndLeaveTheVoiceSettingsToTheService() throws Exception {
        GatewayConfig.Agent agent = ConfigLoader.load(List.of(), Map.of()).agent();
        assertEquals(new GatewayConfig.TurnDetection("server_vad", null, null, null, null), agent.turnDetection());
        assertNull(agent.noiseReduction());
        assertNull(agent.maxOutputTokens());
        assertNull(agent.greeting());
        assertNull(agent.transcriptionLanguage());
        assertEquals(0, agent.silencePromptMs(), "no prompts unless configured");
        assertEquals(2, agent.silenceMaxPrompts());
        assertTrue(agent.endCallTool());
        assertEquals(List.of(), agent.tools());
        assertEquals(List.of(), agent.mcpServers());
    }

    @Test
    void toolsAndMcpServersAreReadFromTheYamlList() throws Exception {
        GatewayConfig.Agent agent = load("""
                agent:
                  greeting: Thank you for calling Acme.
                  silence-prompt-ms: 8000
                  silence-max-prompts: 1
                  tools-secret: %s
                  tools:
                    - name: lookup_order
                      description: Look up an order by its number.
                      parameters:
                        type: object
                        properties:
                          order: {type: string}
                        required: [order]
                      url: https://hooks.example.com/orders
                      timeout-ms: 2500
                      headers:
                        X-Api-Key: receiver-key
                    - name: opening_hours
                      description: Today's opening hours.
                      url: http://127.0.0.1:9000/hours
                  mcp-servers:
                    - label: crm
                      url: https://mcp.example.com/sse
                      allowed-tools: [find_customer]
                      require-approval: never
                      headers: {X-Team: support}
                      authorization: oauth-token
                """.formatted(SECRET));
        assertEquals("Thank you for calling Acme.", agent.greeting());
        assertEquals(8000, agent.silencePromptMs());
        assertEquals(1, agent.silenceMaxPrompts());
        assertEquals(SECRET, agent.toolsSecret());
        assertEquals(List.of(new GatewayConfig.WebhookTool("lookup_order", "Look up an order by its number.",
                "{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"string\"}},\"required\":[\"order\"]}",
                URI.create("https://hooks.example.com/orders"), 2500, Map.of("X-Api-Key", "receiver-key")),
                new GatewayConfig.WebhookTool("opening_hours", "Today's opening hours.",
                        "{\"type\":\"object\",\"properties\":{}}", URI.create("http://127.0.0.1:9000/hours"), 5000,
                        Map.of())), agent.tools());
        assertEquals(List.of(new GatewayConfig.McpServer("crm", URI.create("https://mcp.example.com/sse"), null,
                List.of("find_customer"), "never", Map.of("X-Team", "support"), "oauth-token")), agent.mcpServers());
        String printed = agent.toString();
        for (String secret : List.of(SECRET, "receiver-key", "oauth-token", "support")) {
            assertFalse(printed.contains(secret), "no secret printed: " + printed);
        }
    }

    @Test
    void aToolInAFlagIsJson() throws Exception {
        GatewayConfig.Agent agent = load("", "--agent.tools=[{\"name\":\"ping\",\"description\":\"Ping.\","
                + "\"url\":\"http://127.0.0.1:9/ping\"}]", "--agent.tools-secret=" + SECRET);
        assertEquals("ping", agent.tools().get(0).name());
    }

    @Test
    void eachBadToolFieldIsNamedWithItsElement() {
        String ok = "{name: a, description: d, url: 'http://127.0.0.1/a'}";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("[" + ok + ", {name: b, description: d, url: 'ftp://x/b'}]", "agent.tools[1].url");
        cases.put("[{name: 'no spaces', description: d, url: 'http://x/'}]", "agent.tools[0].name");
        cases.put("[{name: end_call, description: d, url: 'http://x/'}]", "agent.tools[0].name");
        cases.put("[" + ok + ", " + ok + "]", "agent.tools[1].name");
        cases.put("[{name: a, url: 'http://x/'}]", "agent.tools[0].description");
        cases.put("[{name: a, description: d, url: 'http://x/', timeout-ms: 50}]", "agent.tools[0].timeout-ms");
        cases.put("[{name: a, description: d, url: 'http://x/', timeout-ms: soon}]", "agent.tools[0].timeout-ms");
        cases.put("[{name: a, description: d, url: 'http://x/', parameters: {type: string}}]",
                "agent.tools[0].parameters");
        cases.put("[{name: a, description: d, url: 'http://x/', parameters: {type: object, properties: {},"
                + " required: [b]}}]", "agent.tools[0].parameters.required");
        cases.put("[{name: a, description: d, url: 'http://x/', headers: {Host: evil}}]",
                "agent.tools[0].headers.Host");
        cases.put("[{name: a, description: d, url: 'http://x/', headers: {X-Gateway-Signature: v1}}]",
                "agent.tools[0].headers.X-Gateway-Signature");
        cases.put("[{name: a, description: d, url: 'http://x/', retries: 3}]", "agent.tools[0].retries");
        cases.put("[{name: a, description: d, url: 'http://user:pw@x/'}]", "agent.tools[0].url");
        cases.put("{name: a}", "agent.tools");
        cases.forEach((tools, key) -> {
            ConfigException e = refused("agent:\n  tools-secret: " + SECRET + "\n  tools: " + tools + "\n");
            assertEquals(key, e.key(), tools + ": " + e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));
        });
    }

    @Test
    void toolsNeedASecretLongEnoughAndItIsNeverRepeated() {
        String tools = "  tools: [{name: a, description: d, url: 'http://127.0.0.1/a'}]\n";
        assertEquals("agent.tools-secret", refused("agent:\n" + tools).key());
        ConfigException shortSecret = refused("agent:\n  tools-secret: tiny-secret\n" + tools);
        assertEquals("agent.tools-secret", shortSecret.key());
        assertFalse(shortSecret.getMessage().contains("tiny-secret"), shortSecret.getMessage());
    }

    @Test
    void badMcpServersAreNamedWithTheirElement() {
        Map<String, String> cases = Map.of(
                "[{label: crm, url: 'http://mcp.example.com/'}]", "agent.mcp-servers[0].url",
                "[{label: crm, url: 'https://a/'}, {label: crm, url: 'https://b/'}]", "agent.mcp-servers[1].label",
                "[{label: crm, url: 'https://a/', require-approval: sometimes}]",
                "agent.mcp-servers[0].require-approval",
                "[{label: crm, url: 'https://a/', allowed-tools: find}]", "agent.mcp-servers[0].allowed-tools",
                "[{url: 'https://a/'}]", "agent.mcp-servers[0].label");
        cases.forEach((servers, key) -> assertEquals(key, refused("agent:\n  mcp-servers: " + servers + "\n").key(),
                servers));
        ConfigException secret = refused("agent:\n  mcp-servers: [{label: crm, url: 'https://a/', authorization: 7}]\n");
        assertEquals("agent.mcp-servers[0].authorization", secret.key());
    }

    @Test
    void voiceSettingsAreCheckedWithTheKeyNamed() throws Exception {
        GatewayConfig.Agent semantic = load("agent:\n  turn-detection: semantic_vad\n  vad-eagerness: high\n"
                + "  noise-reduction: far_field\n  max-output-tokens: 800\n  transcription-language: de\n"
                + "  transcription-prompt: Acme GmbH, Widget\n");
        assertEquals(new GatewayConfig.TurnDetection("semantic_vad", null, null, null, "high"),
                semantic.turnDetection());
        assertEquals("far_field", semantic.noiseReduction());
        assertEquals(800, semantic.maxOutputTokens());
        assertEquals("de", semantic.transcriptionLanguage());
        assertEquals("Acme GmbH, Widget", semantic.transcriptionPrompt());
        GatewayConfig.Agent server = load("agent:\n  vad-threshold: 0.65\n  vad-prefix-padding-ms: 250\n"
                + "  vad-silence-duration-ms: 700\n");
        assertEquals(new GatewayConfig.TurnDetection("server_vad", 0.65, 250, 700, null), server.turnDetection());

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("turn-detection: energy", "agent.turn-detection");
        bad.put("vad-threshold: 1.5", "agent.vad-threshold");
        bad.put("vad-threshold: loud", "agent.vad-threshold");
        bad.put("vad-silence-duration-ms: 20000", "agent.vad-silence-duration-ms");
        bad.put("vad-eagerness: high", "agent.vad-eagerness");
        bad.put("{turn-detection: semantic_vad, vad-threshold: 0.4}", "agent.vad-threshold");
        bad.put("noise-reduction: studio", "agent.noise-reduction");
        bad.put("max-output-tokens: 5000", "agent.max-output-tokens");
        bad.put("transcription-language: English", "agent.transcription-language");
        bad.put("silence-prompt-ms: 500", "agent.silence-prompt-ms");
        bad.put("silence-max-prompts: 11", "agent.silence-max-prompts");
        bad.put("end-call-tool: maybe", "agent.end-call-tool");
        bad.forEach((setting, key) -> {
            String yaml = setting.startsWith("{") ? "agent: " + setting + "\n" : "agent:\n  " + setting + "\n";
            assertEquals(key, refused(yaml).key(), setting);
        });
    }

    @Test
    void transferKeysAreReadAndCheckedWithTheKeyNamed() throws Exception {
        GatewayConfig.Transfer none = ConfigLoader.load(List.of(), Map.of()).agent().transfer();
        assertEquals(new GatewayConfig.Transfer(null, Map.of(), true, false, 30_000, null), none,
                "no tool and no fallback by default");
        GatewayConfig.Transfer transfer = load("""
                agent:
                  transfer-target: sip:queue@pbx.example
                  transfer-destinations:
                    sales: sip:sales@pbx.example
                    billing: sips:billing@pbx.example;transport=tls
                  transfer-headers: x-headers,user-to-user
                  transfer-timeout-ms: 12000
                  fallback-transfer: sip:overflow@pbx.example
                """).transfer();
        assertEquals("sip:queue@pbx.example", transfer.target());
        assertEquals(List.of("sales", "billing"), List.copyOf(transfer.destinations().keySet()), "in file order");
        assertEquals("sips:billing@pbx.example;transport=tls", transfer.destinations().get("billing"));
        assertTrue(transfer.xHeaders() && transfer.userToUser());
        assertEquals(12_000, transfer.timeoutMs());
        assertEquals("sip:overflow@pbx.example", transfer.fallback());
        assertEquals(new GatewayConfig.Transfer("sip:q@h", Map.of(), false, false, 30_000, null),
                load("", "--agent.transfer-target=sip:q@h", "--agent.transfer-headers=none").transfer());
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("transfer-target: http://pbx.example/", "agent.transfer-target");
        bad.put("transfer-target: 'sip:q@h?X-A=1'", "agent.transfer-target");
        bad.put("fallback-transfer: queue", "agent.fallback-transfer");
        bad.put("transfer-destinations: {sales: sip:s@h}", "agent.transfer-destinations");
        bad.put("{transfer-target: 'sip:q@h', transfer-destinations: [sip:s@h]}", "agent.transfer-destinations");
        bad.put("{transfer-target: 'sip:q@h', transfer-destinations: {sales: 'tel:+1'}}",
                "agent.transfer-destinations.sales");
        bad.put("transfer-headers: smoke-signals", "agent.transfer-headers");
        bad.put("transfer-timeout-ms: 999", "agent.transfer-timeout-ms");
        bad.forEach((setting, key) -> {
            String yaml = setting.startsWith("{") ? "agent: " + setting + "\n" : "agent:\n  " + setting + "\n";
            assertEquals(key, refused(yaml).key(), setting);
        });
    }

    @Test
    void aProfilesCopyOfAKeyIsNamedAsTheOperatorWroteIt() {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        values.put(ConfigKey.AGENT_TOOLS, "[{\"name\":\"a\",\"description\":\"d\",\"url\":\"gopher://x/\"}]");
        values.put(ConfigKey.AGENT_TOOLS_SECRET, SECRET);
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.parse(values, "profiles.sales."));
        assertEquals("profiles.sales.tools[0].url", e.key());
        values.put(ConfigKey.AGENT_TOOLS, "[{broken");
        assertEquals("profiles.sales.tools",
                assertThrows(ConfigException.class, () -> AgentConfig.parse(values, "profiles.sales.")).key());
    }
}
