package gateway.rtp;

import java.net.InetSocketAddress;

/**
 * Where outbound RTP goes: the SDP address until the first valid RTP packet arrives, then that packet's source
 * (symmetric RTP, RFC 4961), fixed for the rest of the call so that NAT-ed callers are reached. Changed only on
 * the event loop; read from any thread.
 */
final class RemoteEndpoint {

    private volatile InetSocketAddress current;
    private volatile boolean latched;

    RemoteEndpoint(InetSocketAddress sdpRemote) {
        this.current = sdpRemote;
    }

    InetSocketAddress current() {
        return current;
    }

    boolean latched() {
        return latched;
    }

    /** Latches to {@code source} if nothing was latched yet; returns true if the destination changed. */
    boolean latch(InetSocketAddress source) {
        if (latched || source == null) {
            return false;
        }
        latched = true;
        boolean changed = !source.equals(current);
        current = source;
        return changed;
    }
}
