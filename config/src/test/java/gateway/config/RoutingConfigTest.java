package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing profiles: {@code profiles.<name>.*} lays any {@code agent.*} key over the default agent, {@code routes}
 * pick a profile by the called user, and every refusal names the key as the operator wrote it.
 */
class RoutingConfigTest {

    private static final String PROFILES = """
            agent:
              instructions: You answer for the front desk.
              voice: marin
              context-headers: X-Customer-Id
            profiles:
              sales:
                instructions: "You sell. Customer {{header.X-Customer-Id}} called {{to}} from {{from}}."
                voice: cedar
                allowed-sources: 10.0.0.0/8
              support:
                greeting: How can I help?
                context-headers: P-Asserted-Identity, Diversion
            """;

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml, String... flags) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        List<String> args = new ArrayList<>(List.of("--config", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(args, Map.of());
    }

    private ConfigException refused(String yaml, String... flags) {
        return assertThrows(ConfigException.class, () -> load(yaml, flags));
    }

    @Test
    void aProfileOverridesTheAgentKeysItSetsAndInheritsTheRest() throws Exception {
        GatewayConfig config = load(PROFILES + """
                routes:
                  - {match: "1001", profile: sales}
                  - {match: "+4930*", profile: support}
                """);
        GatewayConfig.Routing routing = config.routing();
        assertEquals(List.of("sales", "support"), List.copyOf(routing.profiles().keySet()));
        GatewayConfig.Agent sales = routing.profiles().get("sales");
        assertEquals("cedar", sales.voice());
        assertTrue(sales.instructions().startsWith("You sell."));
        assertEquals(List.of("X-Customer-Id"), sales.contextHeaders(), "inherited from agent.*");
        assertFalse(sales.allowedSources().allows(InetAddress.getByName("192.0.2.1")));
        GatewayConfig.Agent support = routing.profiles().get("support");
        assertEquals("marin", support.voice(), "inherited");
        assertEquals("You answer for the front desk.", support.instructions());
        assertEquals("How can I help?", support.greeting());
        assertEquals(List.of("P-Asserted-Identity", "Diversion"), support.contextHeaders());
        assertNull(support.allowedSources());
        assertNull(config.agent().greeting(), "the default agent keeps its own keys");
        assertEquals(List.of(new GatewayConfig.Route("1001", "sales"), new GatewayConfig.Route("+4930*", "support")),
                routing.routes());
        assertFalse(routing.rejectUnknown());
    }

    @Test
    void aFlagSetsAProfileKeyAndAStructuredProfileKeyTakesItsList() throws Exception {
        GatewayConfig config = load(PROFILES + """
                    tools-secret: s3cr3t-signing-key-for-tests
                    tools:
                      - {name: lookup, description: Look up., url: "https://tools.example/lookup"}
                """, "--profiles.sales.voice=verse", "--routing.unknown=reject",
                "--routes=[{\"match\":\"*\",\"profile\":\"default\"}]");
        assertEquals("verse", config.routing().profiles().get("sales").voice(), "a flag beats the file");
        assertEquals("lookup", config.routing().profiles().get("support").tools().get(0).name());
        assertEquals(List.of(), config.agent().tools());
        assertTrue(config.routing().rejectUnknown());
        assertEquals(List.of(new GatewayConfig.Route("*", "default")), config.routing().routes());
    }

    @Test
    void aBadProfileValueIsNamedAsWritten() {
        assertEquals("profiles.sales.voice", refused(PROFILES, "--profiles.sales.voice=").key());
        assertEquals("profiles.support.silence-prompt-ms",
                refused(PROFILES + "    silence-prompt-ms: 10\n").key());
        assertEquals("profiles.sales.vioce", refused(PROFILES, "--profiles.sales.vioce=cedar").key(),
                "a key agent.* does not have is unknown");
        assertEquals("profiles.default.voice", refused(PROFILES, "--profiles.default.voice=cedar").key());
        assertEquals("profiles.sales.allowed-sources",
                refused(PROFILES, "--profiles.sales.allowed-sources=10.0.0.0/99").key());
    }

    @Test
    void aRouteIsCheckedDownToItsField() {
        assertEquals("routes[2].match", refused(PROFILES + """
                routes:
                  - {match: "1001", profile: sales}
                  - {match: "2*", profile: support}
                  - {match: "3*4", profile: support}
                """).key());
        ConfigException unknown = refused(PROFILES + """
                routes:
                  - {match: "1001", profile: marketing}
                """);
        assertEquals("routes[0].profile", unknown.key());
        assertTrue(unknown.getMessage().contains("unknown profile 'marketing' (known: default, sales, support)"),
                unknown.getMessage());
        assertEquals("routes[0].profile", refused(PROFILES + "routes: [{match: '1'}]\n").key());
        assertEquals("routes[0].priority", refused(PROFILES + "routes: [{match: '1', profile: sales, priority: 1}]\n")
                .key());
        assertEquals("routes", refused(PROFILES + "routes: {match: '1'}\n").key());
        assertEquals("routing.unknown", refused(PROFILES, "--routing.unknown=drop").key());
    }

    @Test
    void thePlaceholdersAndContextHeadersAreCheckedAtStartUp() {
        ConfigException unknown = refused(PROFILES, "--profiles.sales.instructions=Hi {{caller}}");
        assertEquals("profiles.sales.instructions", unknown.key());
        assertTrue(unknown.getMessage().contains("{{caller}}"), unknown.getMessage());
        assertEquals("profiles.support.instructions",
                refused(PROFILES, "--profiles.support.instructions=Id {{header.X-Customer-Id}}").key(),
                "support lists other headers: X-Customer-Id is not passed there");
        assertEquals("agent.instructions", refused("", "--agent.instructions=Hi {{from").key());
        assertEquals("agent.context-headers", refused("", "--agent.context-headers=Authorization").key());
        assertEquals("agent.context-headers", refused("", "--agent.context-headers=X-A, x-a").key());
        assertEquals("agent.context-headers", refused("", "--agent.context-headers=X A").key());
    }

    @Test
    void theReadmesExampleLoads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Routing profiles and SIP context");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        GatewayConfig config = load(readme.substring(start, readme.indexOf("```", start)));
        GatewayConfig.Agent sales = config.routing().profiles().get("sales");
        assertEquals(List.of("P-Asserted-Identity", "X-Customer-Id"), sales.contextHeaders());
        assertEquals("cedar", sales.voice());
        assertEquals(2, config.routing().routes().size());
        assertTrue(config.routing().rejectUnknown());
    }

    @Test
    void aRouteMatchesTheWholeUserOrAPrefixAsWritten() {
        GatewayConfig.Route exact = new GatewayConfig.Route("1001", "sales");
        assertTrue(exact.matches("1001"));
        assertFalse(exact.matches("10011"));
        assertFalse(exact.matches("100"));
        assertFalse(exact.matches(null));
        GatewayConfig.Route prefix = new GatewayConfig.Route("+4930*", "support");
        assertTrue(prefix.matches("+4930"));
        assertTrue(prefix.matches("+49301234"));
        assertFalse(prefix.matches("4930123"));
        GatewayConfig.Route named = new GatewayConfig.Route("Sales", "sales");
        assertFalse(named.matches("sales"), "user parts compare case-sensitively (RFC 3261 §19.1.4)");
        assertTrue(new GatewayConfig.Route("*", "default").matches(""));
    }

    @Test
    void earlyMediaIsChosenPerProfileAndNeedsTheConsentPrompt() throws Exception {
        Path prompt = Files.write(dir.resolve("consent.wav"), new byte[44]);
        GatewayConfig config = load(PROFILES, "--profiles.sales.early-media=consent",
                "--recordings.consent-prompt=" + prompt);
        assertFalse(config.agent().earlyMedia(), "off by default");
        assertTrue(config.routing().profiles().get("sales").earlyMedia());
        assertFalse(config.routing().profiles().get("support").earlyMedia());

        assertEquals("profiles.support.early-media: consent needs recordings.consent-prompt: early media plays"
                + " that announcement", refused(PROFILES, "--profiles.support.early-media=consent").getMessage());
        assertEquals("agent.early-media: must be one of off, consent, got 'always'",
                refused(PROFILES, "--agent.early-media=always").getMessage());
    }
}
