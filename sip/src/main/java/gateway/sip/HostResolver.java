package gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Finds the address of a registrar's host name (A/AAAA records through the system resolver; RFC 3263 SRV and NAPTR
 * are not looked up), off the SIP loop: a lookup may block. The future may complete on any thread.
 */
@FunctionalInterface
interface HostResolver {

    /** IP literals at once; names on one daemon thread of their own, so a slow DNS server never holds the loop. */
    HostResolver SYSTEM = new HostResolver() {
        private final ExecutorService lookups = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sip-resolver");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public CompletableFuture<InetAddress> resolve(String host) {
            InetAddress literal = IpLiterals.parse(host);
            if (literal != null) {
                return CompletableFuture.completedFuture(literal);
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return InetAddress.getByName(host);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("cannot resolve " + host, e);
                }
            }, lookups);
        }
    };

    CompletableFuture<InetAddress> resolve(String host);
}
