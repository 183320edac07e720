package gateway.bridge;

import gateway.bridge.call.AgentProfile;
import gateway.bridge.call.ProfileRouter;
import gateway.bridge.tools.WebhookClient;
import gateway.config.GatewayConfig;
import gateway.realtime.AudioFormat;
import gateway.sip.InboundCall;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent profiles of the configuration (the {@code agent.*} one, {@value AgentProfile#DEFAULT_NAME}, and each
 * {@code profiles.<name>}) and the {@code routes} between them: a call gets the profile of the first route whose match
 * is its Request-URI user or its To user; with none, the default profile, or no profile (404) under
 * {@code routing.unknown: reject}. Owns the webhook clients of the profiles' tools, one per signing secret.
 * Immutable after start; {@link #route} is safe from any thread.
 */
final class RoutingProfiles implements ProfileRouter, AutoCloseable {

    private final Map<String, AgentProfile> profiles;
    private final List<GatewayConfig.Route> routes;
    private final boolean rejectUnknown;
    private final List<WebhookClient> webhooks;

    private RoutingProfiles(Map<String, AgentProfile> profiles, List<GatewayConfig.Route> routes,
                            boolean rejectUnknown, List<WebhookClient> webhooks) {
        this.profiles = profiles;
        this.routes = routes;
        this.rejectUnknown = rejectUnknown;
        this.webhooks = webhooks;
    }

    /** The profiles and routes of {@code config}; webhook requests are timed by {@code wallClock}. */
    static RoutingProfiles of(GatewayConfig config, InstantSource wallClock) {
        Map<String, GatewayConfig.Agent> agents = new LinkedHashMap<>();
        agents.put(AgentProfile.DEFAULT_NAME, config.agent());
        agents.putAll(config.routing().profiles());
        Map<String, WebhookClient> clients = new LinkedHashMap<>();
        Map<String, AgentProfile> profiles = new LinkedHashMap<>();
        AudioFormat audioFormat = AudioFormat.named(config.realtime().audioFormat());
        agents.forEach((name, agent) -> {
            WebhookClient client = agent.tools().isEmpty() ? null
                    : clients.computeIfAbsent(agent.toolsSecret(), secret -> new WebhookClient(secret, wallClock));
            profiles.put(name, AgentProfiles.of(name, agent, config.recordings().pauseTool(), client,
                    audioFormat));
        });
        return new RoutingProfiles(profiles, config.routing().routes(), config.routing().rejectUnknown(),
                List.copyOf(clients.values()));
    }

    @Override
    public Optional<AgentProfile> route(InboundCall call) {
        return route(user(call.requestUri()), user(call.toUri()));
    }

    /** The profile for a call to {@code requestUser} (the Request-URI's) or {@code toUser} (the To URI's). */
    Optional<AgentProfile> route(String requestUser, String toUser) {
        for (GatewayConfig.Route route : routes) {
            if (route.matches(requestUser) || route.matches(toUser)) {
                return Optional.of(profiles.get(route.profile()));
            }
        }
        return rejectUnknown ? Optional.empty() : Optional.of(profiles.get(AgentProfile.DEFAULT_NAME));
    }

    /** The profile called {@code name} ({@value AgentProfile#DEFAULT_NAME} for the {@code agent.*} one), if any. */
    Optional<AgentProfile> named(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** The names of the profiles, the default first. */
    List<String> names() {
        return List.copyOf(profiles.keySet());
    }

    /** Every profile, the default first. */
    Collection<AgentProfile> all() {
        return profiles.values();
    }

    /** The names of every tool some profile offers, for the metrics. */
    List<String> toolNames() {
        List<String> names = new ArrayList<>();
        for (AgentProfile profile : profiles.values()) {
            profile.toolNames().stream().filter(name -> !names.contains(name)).forEach(names::add);
        }
        return names;
    }

    /**
     * The user part of a {@code sip:}/{@code sips:} URI (RFC 3261 §19.1.1), without its parameters, or the number of
     * a {@code tel:} URI (RFC 3966); null when there is none.
     */
    static String user(String uri) {
        if (uri == null) {
            return null;
        }
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = uri.substring(colon + 1);
        String user;
        if (scheme.equals("tel")) {
            user = rest;
        } else if (scheme.equals("sip") || scheme.equals("sips")) {
            int at = rest.lastIndexOf('@');
            if (at < 0) {
                return null;
            }
            user = rest.substring(0, at);
            int password = user.indexOf(':');
            user = password < 0 ? user : user.substring(0, password);
        } else {
            return null;
        }
        int parameters = user.indexOf(';');
        return parameters < 0 ? user : user.substring(0, parameters);
    }

    @Override
    public void close() {
        webhooks.forEach(WebhookClient::close);
    }
}
