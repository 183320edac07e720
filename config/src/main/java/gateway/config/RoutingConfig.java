package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the routing profiles ({@code profiles.<name>.*}: any {@code agent.*} key, for calls the profile gets), the
 * {@code routes} that pick one and {@code routing.unknown}. A profile is the default agent with its own keys laid
 * over it, read by {@link AgentConfig} under its own prefix, so every {@code agent.*} key (those added later too) is a
 * profile key without more code, and a bad value is named as written ({@code profiles.sales.voice}).
 */
final class RoutingConfig {

    /** The prefix of profile keys. */
    static final String PROFILES = "profiles.";
    /** A profile's name: one segment of a dotted key, as the webhooks and call.json give it. */
    static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A route's match: the characters of a SIP user part (RFC 3261 §25.1), with {@code *} only at its end. */
    private static final Pattern MATCH = Pattern.compile("[A-Za-z0-9\\-_.!~'()%&=+$,;?/#]+\\*?|\\*");
    private static final List<String> ROUTE_FIELDS = List.of("match", "profile");

    /** A profile key: the profile's name and the {@code agent.*} key it overrides. */
    record ProfileKey(String profile, ConfigKey key) {
    }

    private RoutingConfig() {
    }

    /** The profile key {@code name} stands for ({@code profiles.<profile>.<agent key without agent.>}), if any. */
    static Optional<ProfileKey> profileKey(String name) {
        if (!name.startsWith(PROFILES)) {
            return Optional.empty();
        }
        int dot = name.indexOf('.', PROFILES.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String profile = name.substring(PROFILES.length(), dot);
        if (!PROFILE_NAME.matcher(profile).matches()) {
            return Optional.empty();
        }
        return ConfigKey.byKey(AgentConfig.PREFIX + name.substring(dot + 1))
                .map(key -> new ProfileKey(profile, key));
    }

    /** True when {@code name} is a structured key or a profile's copy of one. */
    static boolean structured(String name) {
        return ConfigKey.byKey(name).or(() -> profileKey(name).map(ProfileKey::key))
                .filter(ConfigKey::structured).isPresent();
    }

    /**
     * The routing from the resolved values {@code v} (the default agent's among them) and each profile's own values,
     * by profile in the order first given.
     */
    static GatewayConfig.Routing parse(Map<ConfigKey, String> v, Map<String, Map<ConfigKey, String>> overrides)
            throws ConfigException {
        Map<String, GatewayConfig.Agent> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, Map<ConfigKey, String>> profile : overrides.entrySet()) {
            String name = profile.getKey();
            if (name.equals(GatewayConfig.DEFAULT_PROFILE)) {
                ConfigKey first = profile.getValue().keySet().iterator().next();
                throw new ConfigException(PROFILES + name + "." + first.key().substring(AgentConfig.PREFIX.length()),
                        "'" + GatewayConfig.DEFAULT_PROFILE + "' is the profile of the agent.* keys: set "
                                + first.key() + " instead");
            }
            Map<ConfigKey, String> values = new EnumMap<>(v);
            values.putAll(profile.getValue());
            profiles.put(name, AgentConfig.parse(values, PROFILES + name + "."));
        }
        String unknown = v.get(ConfigKey.ROUTING_UNKNOWN).trim();
        if (!unknown.equals("default") && !unknown.equals("reject")) {
            throw new ConfigException(ConfigKey.ROUTING_UNKNOWN.key(), "must be default or reject, got '" + unknown
                    + "'");
        }
        return new GatewayConfig.Routing(profiles, routes(v, profiles), unknown.equals("reject"));
    }

    private static List<GatewayConfig.Route> routes(Map<ConfigKey, String> v,
                                                    Map<String, GatewayConfig.Agent> profiles)
            throws ConfigException {
        String key = ConfigKey.ROUTES.key();
        JsonNode list = ConfigLoader.structured(ConfigKey.ROUTES, v.get(ConfigKey.ROUTES));
        List<GatewayConfig.Route> routes = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return routes;
        }
        if (!list.isArray()) {
            throw new ConfigException(key, "must be a list of {match, profile}");
        }
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode route = AgentConfig.element(list.get(i), at, ROUTE_FIELDS);
            String match = AgentConfig.text(route, at, "match", true);
            if (!MATCH.matcher(match).matches()) {
                throw new ConfigException(at + ".match", "must be a user (e.g. +4930123456) or a prefix ending in *,"
                        + " got '" + match + "'");
            }
            String profile = AgentConfig.text(route, at, "profile", true);
            if (!profile.equals(GatewayConfig.DEFAULT_PROFILE) && !profiles.containsKey(profile)) {
                List<String> known = new ArrayList<>(List.of(GatewayConfig.DEFAULT_PROFILE));
                known.addAll(profiles.keySet());
                throw new ConfigException(at + ".profile", "names the unknown profile '" + profile + "' (known: "
                        + String.join(", ", known) + ")");
            }
            routes.add(new GatewayConfig.Route(match, profile));
        }
        return routes;
    }
}
