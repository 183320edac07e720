package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code sip.auth.*}, {@code sip.rate-limit.*}, {@code sip.scanner-user-agents} and
 * {@code sip.registrations} keys; every message names its key (a registration's field as
 * {@code sip.registrations[i].field}) and never repeats a password.
 */
final class SipAccessConfig {

    /** The digest algorithms the gateway offers (RFC 8760). */
    static final List<String> ALGORITHMS = List.of("SHA-256", "MD5");
    /** A day: a nonce good for longer is no longer a nonce. */
    static final int MAX_NONCE_LIFETIME_SECONDS = 86_400;
    /** Far above any real caller; a larger number is surely a typo. */
    static final int MAX_RATE = 100_000;
    /** RFC 3261 §10.2.1.1 allows any expiry; under a minute floods the registrar, over a day loses calls for long. */
    static final int MIN_EXPIRES_SECONDS = 60;
    static final int MAX_EXPIRES_SECONDS = 86_400;

    private static final Set<String> REGISTRATION_FIELDS = Set.of("registrar", "user", "auth-user", "password",
            "expires", "transport");
    /** RFC 3261 §25.1 user characters (unreserved and user-unreserved), without escapes. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9\\-_.!~*'()&=+$,;?/]+");
    /** host, host:port, [v6] or [v6]:port. */
    private static final Pattern REGISTRAR = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[0-9A-Za-z.\\-]+)(?::(\\d{1,5}))?");
    private static final int DEFAULT_PORT = 5060;
    private static final int DEFAULT_EXPIRES = 3600;

    private SipAccessConfig() {
    }

    static GatewayConfig.SipAccess parse(Map<ConfigKey, String> v, Map<ConfigKey, Boolean> explicit,
                                         String publicHost) throws ConfigException {
        GatewayConfig.Auth auth = auth(v, explicit, publicHost);
        int invites = ConfigLoader.boundedInt(ConfigKey.SIP_RATE_LIMIT_INVITES_PER_SECOND, v, 1, MAX_RATE);
        int inviteBurst = ConfigLoader.boundedInt(ConfigKey.SIP_RATE_LIMIT_INVITE_BURST, v, 1, MAX_RATE);
        int failures = ConfigLoader.boundedInt(ConfigKey.SIP_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE, v, 1, MAX_RATE);
        int failureBurst = ConfigLoader.boundedInt(ConfigKey.SIP_RATE_LIMIT_AUTH_FAILURE_BURST, v, 1, MAX_RATE);
        List<String> scanners = new ArrayList<>();
        for (String word : v.get(ConfigKey.SIP_SCANNER_USER_AGENTS).split(",")) {
            String w = word.strip().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (!w.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new ConfigException(ConfigKey.SIP_SCANNER_USER_AGENTS.key(),
                        "words are printable ASCII without spaces: '" + w + "'");
            }
            scanners.add(w);
        }
        return new GatewayConfig.SipAccess(auth, invites, inviteBurst, failures, failureBurst, scanners,
                registrations(v));
    }

    private static GatewayConfig.Auth auth(Map<ConfigKey, String> v, Map<ConfigKey, Boolean> explicit,
                                           String publicHost) throws ConfigException {
        String users = v.get(ConfigKey.SIP_AUTH_USERS).strip();
        if (users.isEmpty()) {
            for (ConfigKey key : List.of(ConfigKey.SIP_AUTH_REALM, ConfigKey.SIP_AUTH_TRUSTED_SOURCES,
                    ConfigKey.SIP_AUTH_ALGORITHMS, ConfigKey.SIP_AUTH_NONCE_LIFETIME_SECONDS)) {
                if (explicit.getOrDefault(key, false)) {
                    throw new ConfigException(key.key(), "only applies with sip.auth.users (no users, no passwords)");
                }
            }
            return null;
        }
        Path file = Path.of(users);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(ConfigKey.SIP_AUTH_USERS.key(), "cannot read the file " + users);
        }
        String realm = v.get(ConfigKey.SIP_AUTH_REALM).strip();
        if (realm.isEmpty()) {
            realm = publicHost;
        }
        if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0 || !realm.chars().allMatch(c -> c >= 0x20)) {
            throw new ConfigException(ConfigKey.SIP_AUTH_REALM.key(), "may not hold \" or \\ or control characters");
        }
        String trustedText = v.get(ConfigKey.SIP_AUTH_TRUSTED_SOURCES).strip();
        SourceFilter trusted = null;
        if (!trustedText.isEmpty()) {
            try {
                trusted = SourceFilter.parse(trustedText);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigKey.SIP_AUTH_TRUSTED_SOURCES.key(), e.getMessage());
            }
        }
        List<String> algorithms = new ArrayList<>();
        for (String token : v.get(ConfigKey.SIP_AUTH_ALGORITHMS).split(",")) {
            String algorithm = token.strip().toUpperCase(Locale.ROOT);
            if (!ALGORITHMS.contains(algorithm)) {
                throw new ConfigException(ConfigKey.SIP_AUTH_ALGORITHMS.key(),
                        "'" + token.strip() + "' is not one of " + String.join(", ", ALGORITHMS));
            }
            if (algorithms.contains(algorithm)) {
                throw new ConfigException(ConfigKey.SIP_AUTH_ALGORITHMS.key(), algorithm + " is listed twice");
            }
            algorithms.add(algorithm);
        }
        int lifetime = ConfigLoader.boundedInt(ConfigKey.SIP_AUTH_NONCE_LIFETIME_SECONDS, v, 1,
                MAX_NONCE_LIFETIME_SECONDS);
        return new GatewayConfig.Auth(realm, file, trusted, algorithms, lifetime);
    }

    private static List<GatewayConfig.Registration> registrations(Map<ConfigKey, String> v) throws ConfigException {
        JsonNode list = ConfigLoader.structured(ConfigKey.SIP_REGISTRATIONS, v.get(ConfigKey.SIP_REGISTRATIONS));
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        String key = ConfigKey.SIP_REGISTRATIONS.key();
        if (!list.isArray()) {
            throw new ConfigException(key, "must be a list of registrations");
        }
        List<GatewayConfig.Registration> registrations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new ConfigException(at, "must be a mapping of registrar, user, auth-user, password, expires,"
                        + " transport");
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!REGISTRATION_FIELDS.contains(name)) {
                    throw new ConfigException(at + "." + name, "unknown field (known: "
                            + String.join(", ", REGISTRATION_FIELDS.stream().sorted().toList()) + ")");
                }
            }
            Matcher registrar = REGISTRAR.matcher(text(entry, at, "registrar", true));
            if (!registrar.matches()) {
                throw new ConfigException(at + ".registrar", "must be host or host:port (an IP address or a name)");
            }
            String host = registrar.group(1).startsWith("[")
                    ? registrar.group(1).substring(1, registrar.group(1).length() - 1) : registrar.group(1);
            int port = registrar.group(2) == null ? DEFAULT_PORT : Integer.parseInt(registrar.group(2));
            if (port < 1 || port > 65535) {
                throw new ConfigException(at + ".registrar", "port out of range: " + port);
            }
            String user = text(entry, at, "user", true);
            if (!USER.matcher(user).matches()) {
                throw new ConfigException(at + ".user",
                        "may hold letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? /");
            }
            String authUser = text(entry, at, "auth-user", false);
            String password = text(entry, at, "password", true);
            int expires = DEFAULT_EXPIRES;
            if (entry.has("expires")) {
                JsonNode e = entry.get("expires");
                expires = e.canConvertToInt() && e.isIntegralNumber() ? e.asInt()
                        : parseInt(e.asText(), at + ".expires");
                if (expires < MIN_EXPIRES_SECONDS || expires > MAX_EXPIRES_SECONDS) {
                    throw new ConfigException(at + ".expires", "must be between " + MIN_EXPIRES_SECONDS + " and "
                            + MAX_EXPIRES_SECONDS + " seconds, got " + expires);
                }
            }
            String transport = text(entry, at, "transport", false);
            transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
            if (!Arrays.asList("udp", "tcp").contains(transport)) {
                throw new ConfigException(at + ".transport", "must be udp or tcp, got '" + transport + "'");
            }
            if (!seen.add(user + "@" + host + ":" + port)) {
                throw new ConfigException(at, user + " is registered at " + host + ":" + port + " twice");
            }
            registrations.add(new GatewayConfig.Registration(host, port, user,
                    authUser == null || authUser.isEmpty() ? user : authUser, password, expires, transport));
        }
        return List.copyOf(registrations);
    }

    /** A field's text, or null when absent and not required; the message never holds the value of a password. */
    private static String text(JsonNode entry, String at, String field, boolean required) throws ConfigException {
        JsonNode node = entry.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new ConfigException(at + "." + field, "is required");
            }
            return null;
        }
        if (!node.isValueNode()) {
            throw new ConfigException(at + "." + field, "must be text");
        }
        String text = node.asText().strip();
        if (required && text.isEmpty()) {
            throw new ConfigException(at + "." + field, "must not be empty");
        }
        return text;
    }

    private static int parseInt(String text, String at) throws ConfigException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(at, "not a whole number: '" + text + "'");
        }
    }
}
