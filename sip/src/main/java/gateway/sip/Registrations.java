package gateway.sip;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's registrations with its providers, and what admission learns from them: the registrars' addresses,
 * whose responses come in and whose INVITEs to the user registered there are let in without a password (RFC 3261
 * §10: the provider routes calls for our address of record to the Contact we registered). Started and stopped on
 * the SIP loop; {@link #isRegistrar}, {@link #accepts} and {@link #status} from any thread.
 */
final class Registrations implements RegisteredContacts {

    private volatile List<Registration> registrations = List.of();
    private final Map<Registration, InetAddress> addresses = new HashMap<>();
    private volatile Map<InetAddress, Set<String>> usersByRegistrar = Map.of();

    /** Starts registering each of {@code settings} from {@code core}, sending UDP through {@code udp}. */
    void start(SipCore core, List<RegistrationSettings> settings, HostResolver resolver, Channel udp) {
        List<Registration> started = new ArrayList<>(registrations);
        for (RegistrationSettings s : settings) {
            started.add(new Registration(core, s, resolver, udp, this::resolved));
        }
        List<Registration> fresh = started.subList(registrations.size(), started.size());
        registrations = List.copyOf(started);
        fresh.forEach(Registration::start);
    }

    /** Stops every registration (no more REGISTERs go out). */
    void stop() {
        registrations.forEach(Registration::stop);
    }

    /** Where each registration stands, in configuration order. */
    List<RegistrationStatus> status() {
        return registrations.stream().map(Registration::status).toList();
    }

    private void resolved(Registration registration, InetAddress address) {
        addresses.put(registration, address);
        Map<InetAddress, Set<String>> users = new HashMap<>();
        addresses.forEach((r, a) -> users.computeIfAbsent(a, x -> new HashSet<>()).add(r.settings().user()));
        users.replaceAll((a, u) -> Set.copyOf(u));
        usersByRegistrar = Map.copyOf(users);
    }

    @Override
    public boolean isRegistrar(InetAddress source) {
        return usersByRegistrar.containsKey(source);
    }

    @Override
    public boolean accepts(InetAddress source, String user) {
        Set<String> users = usersByRegistrar.get(source);
        return users != null && user != null && users.contains(user);
    }
}
