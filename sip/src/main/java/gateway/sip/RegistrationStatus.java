package gateway.sip;

/**
 * Where one registration stands: its name ({@code user@host:port}), whether the registrar holds our binding now,
 * the expiry it granted last (seconds, 0 before the first success), and how many attempts have failed since start.
 */
public record RegistrationStatus(String name, boolean registered, long grantedSeconds, long failures) {
}
