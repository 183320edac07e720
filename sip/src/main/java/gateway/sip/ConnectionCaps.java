package gateway.sip;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Counts the accepted TCP and TLS connections open, in all and per source address, and refuses one beyond
 * {@link ConnectionLimits#total()} or {@link ConnectionLimits#perSource()}. Addresses that may send a PROXY protocol
 * header (load balancers, which carry many callers) count only towards the total. The table holds only sources with
 * a connection open, so it is bounded by the total. Thread-safe: the listeners' loops call it.
 */
final class ConnectionCaps {

    private final ConnectionLimits limits;
    private final Predicate<InetAddress> balancer;
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    private int total;

    /** Caps of {@code limits}; {@code balancer} tells which addresses are exempt from the per-source cap. */
    ConnectionCaps(ConnectionLimits limits, Predicate<InetAddress> balancer) {
        this.limits = limits;
        this.balancer = balancer;
    }

    /** Takes a place for a connection from {@code source}; false when a cap is reached (nothing taken then). */
    synchronized boolean take(InetAddress source) {
        if (total >= limits.total()) {
            return false;
        }
        if (!balancer.test(source)) {
            int open = perSource.getOrDefault(source, 0);
            if (open >= limits.perSource()) {
                return false;
            }
            perSource.put(source, open + 1);
        }
        total++;
        return true;
    }

    /** Gives back the place a closed connection from {@code source} had taken. */
    synchronized void release(InetAddress source) {
        total--;
        if (!balancer.test(source)) {
            perSource.computeIfPresent(source, (address, open) -> open == 1 ? null : open - 1);
        }
    }

    /** Connections open now; for tests and metrics. */
    synchronized int open() {
        return total;
    }
}
