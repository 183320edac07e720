package gateway.sip;

import java.net.InetAddress;

/** The registrars we registered with: their responses come in, and so do their INVITEs to the user registered. */
interface RegisteredContacts {

    /** None. */
    RegisteredContacts NONE = new RegisteredContacts() {
        @Override
        public boolean isRegistrar(InetAddress source) {
            return false;
        }

        @Override
        public boolean accepts(InetAddress source, String user) {
            return false;
        }
    };

    /** True when {@code source} is the address of a registrar we send to. */
    boolean isRegistrar(InetAddress source);

    /** True when {@code source} is a registrar's address and {@code user} (may be null) the user we registered. */
    boolean accepts(InetAddress source, String user);
}
