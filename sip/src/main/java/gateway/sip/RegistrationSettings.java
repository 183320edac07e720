package gateway.sip;

import java.util.Locale;
import java.util.Objects;

/**
 * One registration with a provider (RFC 3261 §10): the registrar's host (an IP address or a name, resolved before
 * each attempt) and port, the user we register (our address of record is {@code sip:user@host}, our Contact
 * {@code sip:user@<public host>:<port>}), the user and password answering its challenges, the expiry we ask for,
 * and the transport ({@code udp} or {@code tcp}). {@link #toString()} never prints the password.
 */
public record RegistrationSettings(String registrarHost, int registrarPort, String user, String authUser,
                                   String password, int expiresSeconds, String transport) {

    /** RFC 3261 §10.2.1.1 suggests an hour by default. */
    public static final int DEFAULT_EXPIRES_SECONDS = 3600;
    /** The SIP port (RFC 3261 §19.1.2). */
    public static final int DEFAULT_PORT = 5060;

    public RegistrationSettings {
        Objects.requireNonNull(registrarHost, "registrarHost");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (authUser == null || authUser.isEmpty()) {
            authUser = user;
        }
        if (registrarPort < 1 || registrarPort > 65535) {
            throw new IllegalArgumentException("registrar port out of range: " + registrarPort);
        }
        if (expiresSeconds < 1) {
            throw new IllegalArgumentException("expires must be positive: " + expiresSeconds);
        }
        transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("transport is udp or tcp: " + transport);
        }
    }

    /** How the log and the metrics name it: {@code user@host:port}. */
    public String name() {
        return user + "@" + SipMessages.hostForUri(registrarHost) + ":" + registrarPort;
    }

    Transport sipTransport() {
        return transport.equals("tcp") ? Transport.TCP : Transport.UDP;
    }

    @Override
    public String toString() {
        return "RegistrationSettings[" + name() + ", authUser=" + authUser + ", password=set, expires="
                + expiresSeconds + ", transport=" + transport + "]";
    }
}
