package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code http.tokens}: a list of {name, token or token-sha256, role: viewer|admin}. Only the SHA-256 digest of
 * each token is kept; no message repeats a token.
 */
final class HttpTokensConfig {

    /** The name {@code http.api-token} goes by in audits; no listed token may take it. */
    static final String API_TOKEN_NAME = "api-token";
    private static final Set<String> FIELDS = Set.of("name", "token", "token-sha256", "role");
    private static final Set<String> ROLES = Set.of("viewer", "admin");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private HttpTokensConfig() {
    }

    static List<GatewayConfig.HttpToken> parse(Map<ConfigKey, String> v, String apiToken) throws ConfigException {
        String key = ConfigKey.HTTP_TOKENS.key();
        JsonNode list = ConfigLoader.structured(ConfigKey.HTTP_TOKENS, v.get(ConfigKey.HTTP_TOKENS));
        List<GatewayConfig.HttpToken> tokens = new ArrayList<>();
        if (!apiToken.isEmpty()) {
            tokens.add(new GatewayConfig.HttpToken(API_TOKEN_NAME, sha256Hex(apiToken), "admin"));
        }
        if (list.isMissingNode() || list.isNull()) {
            return List.copyOf(tokens);
        }
        if (!list.isArray()) {
            throw new ConfigException(key, "must be a list of {name, token or token-sha256, role}");
        }
        Set<String> names = new HashSet<>(Set.of(API_TOKEN_NAME));
        Set<String> digests = new HashSet<>();
        tokens.forEach(t -> digests.add(t.sha256Hex()));
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new ConfigException(at, "must be a mapping of name, token or token-sha256, role");
            }
            for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    throw new ConfigException(at + "." + field, "unknown field (known: name, role, token,"
                            + " token-sha256)");
                }
            }
            String name = entry.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(at + ".name", "must be 1-64 letters, digits, '.', '_', '@' or '-'");
            }
            if (!names.add(name)) {
                throw new ConfigException(at + ".name", "'" + name + "' is taken (" + API_TOKEN_NAME
                        + " names http.api-token)");
            }
            String role = entry.path("role").asText("").toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
                throw new ConfigException(at + ".role", "must be viewer or admin");
            }
            String digest = digest(entry, at);
            if (!digests.add(digest)) {
                throw new ConfigException(at, "the same token is listed twice");
            }
            tokens.add(new GatewayConfig.HttpToken(name, digest, role));
        }
        return List.copyOf(tokens);
    }

    private static String digest(JsonNode entry, String at) throws ConfigException {
        boolean plain = entry.has("token");
        boolean hashed = entry.has("token-sha256");
        if (plain == hashed) {
            throw new ConfigException(at, "needs exactly one of token and token-sha256");
        }
        if (hashed) {
            String hex = entry.get("token-sha256").asText("");
            if (!SHA256_HEX.matcher(hex).matches()) {
                throw new ConfigException(at + ".token-sha256", "must be 64 hex digits (sha256sum of the token)");
            }
            return hex.toLowerCase(Locale.ROOT);
        }
        String token = entry.get("token").asText("");
        ConfigLoader.checkToken(at + ".token", token);
        return sha256Hex(token);
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
