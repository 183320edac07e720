package gateway.bridge;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.config.ConfigException;
import gateway.config.ConfigKey;
import gateway.config.GatewayConfig;
import gateway.config.SourceFilter;
import gateway.sip.AccessSettings;
import gateway.sip.AdmissionCounters;
import gateway.sip.ConnectionLimits;
import gateway.sip.RateLimit;
import gateway.sip.Refusal;
import gateway.sip.RegistrationSettings;
import gateway.sip.RegistrationStatus;
import gateway.sip.SipServer;
import gateway.sip.SourcePolicy;
import gateway.sip.auth.AuthOutcome;
import gateway.sip.auth.DigestAlgorithm;
import gateway.sip.auth.DigestSettings;
import gateway.sip.auth.DigestUsers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns the configuration of who may call into the SIP layer's terms (per source: refused outside
 * {@code sip.allowed-sources}; inside, digest when {@code sip.auth.users} is set, unless in
 * {@code sip.auth.trusted-sources}; open otherwise), the registrations into the SIP layer's, and exposes what the
 * SIP layer counts in {@code /metrics}.
 */
final class SipAccessSetup {

    private SipAccessSetup() {
    }

    /** The SIP layer's access settings; a users file that cannot be read stops start-up naming its key. */
    static AccessSettings settings(GatewayConfig config) throws ConfigException {
        GatewayConfig.SipAccess access = config.sipAccess();
        SourceFilter allowed = config.sip().allowedSources();
        GatewayConfig.Auth auth = access.auth();
        DigestSettings digest = auth == null ? null : digest(auth);
        SourceFilter trusted = auth == null ? null : auth.trustedSources();
        SourcePolicy policy = source -> {
            if (!allowed.allows(source)) {
                return SourcePolicy.Access.REFUSED;
            }
            return digest != null && (trusted == null || !trusted.allows(source))
                    ? SourcePolicy.Access.DIGEST : SourcePolicy.Access.OPEN;
        };
        return new AccessSettings(policy, digest, new RateLimit(access.invitesPerSecond(), access.inviteBurst()),
                new RateLimit(access.authFailuresPerMinute() / 60.0, access.authFailureBurst()),
                access.scannerUserAgents());
    }

    private static DigestSettings digest(GatewayConfig.Auth auth) throws ConfigException {
        DigestUsers users;
        try {
            users = DigestUsers.load(auth.usersFile(), auth.realm());
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.SIP_AUTH_USERS.key(), auth.usersFile() + ": " + e.getMessage());
        }
        if (users.size() == 0) {
            throw new ConfigException(ConfigKey.SIP_AUTH_USERS.key(), auth.usersFile() + " holds no user");
        }
        List<DigestAlgorithm> algorithms = auth.algorithms().stream()
                .map(a -> DigestAlgorithm.byToken(a).orElseThrow()).toList();
        return new DigestSettings(auth.realm(), users, algorithms, Duration.ofSeconds(auth.nonceLifetimeSeconds()));
    }

    private static Optional<RegistrationStatus> status(SipServer sip, String name) {
        return sip.registrations().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The registrations, in the SIP layer's terms. */
    static List<RegistrationSettings> registrations(GatewayConfig config) {
        return config.sipAccess().registrations().stream().map(r -> new RegistrationSettings(r.registrar(), r.port(),
                r.user(), r.authUser(), r.password(), r.expiresSeconds(), r.transport())).toList();
    }

    /** The caps on TCP and TLS connections ({@code sip.connections.*}), in the SIP layer's terms. */
    static ConnectionLimits connectionLimits(GatewayConfig config) {
        GatewayConfig.Connections connections = config.sip().connections();
        return new ConnectionLimits(connections.max(), connections.perSource(),
                Duration.ofSeconds(connections.messageTimeoutSeconds()));
    }

    /** One line for the start-up log: who may call, with or without a password. */
    static String describe(GatewayConfig config) {
        GatewayConfig.Auth auth = config.sipAccess().auth();
        String sources = "Calls accepted from: " + config.sip().allowedSources();
        if (auth == null) {
            return sources + " (no password)";
        }
        return sources + "; digest authentication (realm " + auth.realm() + ", " + String.join(", ", auth.algorithms())
                + ") required" + (auth.trustedSources() == null ? "" : " except from " + auth.trustedSources());
    }

    /** Counters of refused requests and authentication outcomes, and the state of each registration. */
    static void registerMetrics(GatewayMetrics metrics, SipServer sip, List<RegistrationSettings> registrations) {
        AdmissionCounters counters = sip.admissionCounters();
        for (Refusal refusal : Refusal.values()) {
            metrics.counter("gateway_sip_refused", "Requests refused before they became calls: source (403),"
                    + " rate_limited, scanner, auth_rate_limited (dropped unanswered), auth_failed (403), replayed"
                    + " (401); TCP/TLS connections closed: connection_limit (over a cap), slow_message (no whole"
                    + " message in time)", "reason", refusal.label(), () -> counters.refused(refusal));
        }
        metrics.gauge("gateway_sip_connections", "TCP and TLS connections callers hold open", sip::openConnections);
        metrics.counter("gateway_sip_auth", "Digest authentication of INVITEs by outcome", "outcome", "accepted",
                counters::authAccepted);
        for (AuthOutcome.Reason reason : AuthOutcome.Reason.values()) {
            metrics.counter("gateway_sip_auth", "Digest authentication of INVITEs by outcome", "outcome",
                    reason.label(), () -> counters.authNotAccepted(reason));
        }
        for (RegistrationSettings registration : registrations) {
            String name = registration.name();
            metrics.gauge("gateway_sip_registered", "1 while the registrar holds our binding, else 0",
                    "registration", name, () -> status(sip, name).map(s -> s.registered() ? 1 : 0).orElse(0));
            metrics.counter("gateway_sip_registration_failures", "Registration attempts that failed",
                    "registration", name, () -> status(sip, name).map(RegistrationStatus::failures).orElse(0L));
        }
    }
}
