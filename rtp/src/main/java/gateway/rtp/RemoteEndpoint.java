package gateway.rtp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where outbound RTP goes: the SDP address until the first valid RTP packet arrives, then that packet's source
 * (symmetric RTP, RFC 4961) so that NAT-ed callers are reached. A new SDP address mid-call ({@link #retarget})
 * replaces it and opens latching again. Null while no address is known (a late offer before its answer, or
 * c=0.0.0.0), until an SDP address comes or a packet latches one. An SDP address of the other IP family than the
 * socket's own bound address cannot be reached from it (linphone offers its IPv6 ULA while calling over IPv4): it
 * counts as no address, and the first packet latches the real one. Changed only on the event loop (times from its
 * clock); read from any thread.
 */
final class RemoteEndpoint {

    /**
     * How long the source latched before a new SDP address may not latch again: the old stream's packets still in
     * flight, or queued in the socket when the update applies, arrive within tens of milliseconds and must not pull
     * the media back; after a second the same source is taken again (a caller resuming a c=0.0.0.0 hold from
     * behind the same NAT).
     */
    static final long REPLACED_SOURCE_QUARANTINE_NANOS = 1_000_000_000L;

    /** The socket's bound address; null or a wildcard when unknown (then every SDP address is taken as reachable). */
    private final InetAddress local;
    private volatile InetSocketAddress current;
    private volatile boolean latched;
    /** The source latched before the last retarget that replaced one, refused until {@link #replacedUntil}. */
    private InetSocketAddress replaced;
    private long replacedUntil;

    RemoteEndpoint(InetSocketAddress sdpRemote) {
        this(sdpRemote, null);
    }

    /** Sends to {@code sdpRemote} if a socket bound to {@code local} (null: unknown) can reach it. */
    RemoteEndpoint(InetSocketAddress sdpRemote, InetAddress local) {
        this.local = local;
        this.current = reachable(sdpRemote);
    }

    /** {@code sdpRemote}, or null when the socket's bound address cannot send to its IP family. */
    private InetSocketAddress reachable(InetSocketAddress sdpRemote) {
        if (sdpRemote == null || local == null || local.isAnyLocalAddress() || sdpRemote.getAddress() == null) {
            return sdpRemote;
        }
        InetAddress target = sdpRemote.getAddress();
        boolean sameFamily = local instanceof Inet4Address ? target instanceof Inet4Address
                : local instanceof Inet6Address && target instanceof Inet6Address;
        return sameFamily ? sdpRemote : null;
    }


    /** The destination, or null if none is known. */
    InetSocketAddress current() {
        return current;
    }

    boolean latched() {
        return latched;
    }

    /**
     * Latches to {@code source}, a packet's sender at {@code nowNanos}, if nothing was latched since the last SDP
     * address and it is not a source in quarantine; returns true if it latched now.
     */
    boolean latch(InetSocketAddress source, long nowNanos) {
        if (latched || source == null || (source.equals(replaced) && nowNanos - replacedUntil < 0)) {
            return false;
        }
        latched = true;
        current = source;
        return true;
    }

    /**
     * Sends to a new SDP address (a re-INVITE or UPDATE moved the media, RFC 3264 §8.3.1), or nowhere if null, and
     * lets the next valid packet latch again; the source latched so far only after
     * {@link #REPLACED_SOURCE_QUARANTINE_NANOS}, unless it is the new SDP address.
     */
    void retarget(InetSocketAddress sdpRemote, long nowNanos) {
        if (latched && !current.equals(sdpRemote)) {
            replaced = current;
            replacedUntil = nowNanos + REPLACED_SOURCE_QUARANTINE_NANOS;
        }
        latched = false;
        current = reachable(sdpRemote);
    }
}
