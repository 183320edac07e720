package gateway.sip;

import java.net.InetAddress;

/** The registrars we registered with: an INVITE from one of them to the user registered there is let in. */
@FunctionalInterface
interface RegisteredContacts {

    /** None. */
    RegisteredContacts NONE = (source, user) -> false;

    /** True when {@code source} is a registrar's address and {@code user} (may be null) the user we registered. */
    boolean accepts(InetAddress source, String user);
}
