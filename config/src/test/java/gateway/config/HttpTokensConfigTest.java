package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.tokens}: named tokens with roles, from YAML or a JSON flag; only digests are kept. */
class HttpTokensConfigTest {

    private static final String VIEWER = "viewer-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";
    /** sha256("admin-token-0123456789"). */
    private static final String ADMIN_SHA = HttpTokensConfig.sha256Hex(ADMIN);

    @TempDir
    Path dir;

    private GatewayConfig.Http load(String yaml, String... flags) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        List<String> args = new java.util.ArrayList<>(List.of("--config", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(args, Map.of()).http();
    }

    private ConfigException refused(String yaml, String... flags) {
        return assertThrows(ConfigException.class, () -> load(yaml, flags));
    }

    @Test
    void namedTokensFromYamlKeepOnlyDigestsAndTheApiTokenIsAnAdmin() throws Exception {
        GatewayConfig.Http http = load("http:\n  api-token: api-token-0123456789\n  tokens:\n"
                + "    - {name: victor, token: " + VIEWER + ", role: viewer}\n"
                + "    - {name: alice, token-sha256: " + ADMIN_SHA.toUpperCase(java.util.Locale.ROOT)
                + ", role: ADMIN}\n");
        assertTrue(http.tokenRequired());
        assertEquals(List.of(
                new GatewayConfig.HttpToken("api-token", HttpTokensConfig.sha256Hex("api-token-0123456789"), "admin"),
                new GatewayConfig.HttpToken("victor", HttpTokensConfig.sha256Hex(VIEWER), "viewer"),
                new GatewayConfig.HttpToken("alice", ADMIN_SHA, "admin")), http.tokens());
        assertEquals("Http[listen=127.0.0.1, port=8080, apiToken=set, tokens=[api-token, victor, alice],"
                + " shareKey=generated]",
                http.toString());
        assertFalse(http.tokens().toString().contains(ADMIN_SHA));
    }

    @Test
    void aJsonFlagAloneRequiresTokens() throws Exception {
        GatewayConfig.Http http = load("", "--http.tokens=[{\"name\":\"victor\",\"token\":\"" + VIEWER
                + "\",\"role\":\"viewer\"}]");
        assertEquals(List.of("victor"), http.tokens().stream().map(GatewayConfig.HttpToken::name).toList());
        assertTrue(http.tokenRequired());
        assertFalse(load("").tokenRequired());
    }

    @Test
    void badEntriesNameTheirElementAndNeverRepeatATokenValue() {
        assertEquals("http.tokens[0].role: must be viewer or admin",
                refused("http:\n  tokens:\n    - {name: v, token: " + VIEWER + ", role: owner}\n").getMessage());
        assertEquals("http.tokens[0].name: 'api-token' is taken (api-token names http.api-token)",
                refused("http:\n  tokens:\n    - {name: api-token, token: " + VIEWER + ", role: admin}\n")
                        .getMessage());
        assertEquals("http.tokens[1].name: 'v' is taken (api-token names http.api-token)",
                refused("http:\n  tokens:\n    - {name: v, token: " + VIEWER + ", role: admin}\n"
                        + "    - {name: v, token: " + ADMIN + ", role: admin}\n").getMessage());
        assertEquals("http.tokens[1]: the same token is listed twice",
                refused("http:\n  tokens:\n    - {name: v, token: " + VIEWER + ", role: admin}\n"
                        + "    - {name: w, token-sha256: " + HttpTokensConfig.sha256Hex(VIEWER)
                        + ", role: viewer}\n").getMessage());
        assertEquals("http.tokens[0]: needs exactly one of token and token-sha256",
                refused("http:\n  tokens:\n    - {name: v, role: admin}\n").getMessage());
        assertEquals("http.tokens[0].token-sha256: must be 64 hex digits (sha256sum of the token)",
                refused("http:\n  tokens:\n    - {name: v, token-sha256: abc, role: admin}\n").getMessage());
        ConfigException tooShort = refused("http:\n  tokens:\n    - {name: v, token: short-one, role: admin}\n");
        assertEquals("http.tokens[0].token: is too short to be a secret: use at least 16 characters",
                tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains("short-one"));
        assertEquals("http.tokens[0].colour: unknown field (known: name, role, token, token-sha256)",
                refused("http:\n  tokens:\n    - {name: v, token: " + VIEWER + ", role: admin, colour: red}\n")
                        .getMessage());
        assertEquals("http.tokens: must be a list of {name, token or token-sha256, role}",
                refused("http:\n  tokens: {name: v}\n").getMessage());
    }
}
