package gateway.rtp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where outbound RTP goes: the SDP address until the caller's RTP arrives, then its source (symmetric RTP, RFC 4961)
 * so that NAT-ed callers are reached. A packet from the SDP address's host (any port: a NAT may change it) latches at
 * once; a source on another host only after {@link #MIN_SEQUENTIAL} packets in sequence ({@link #latchRtp}), so a
 * stray or sprayed packet that comes first cannot take the media (RTP bleed). A new SDP address mid-call
 * ({@link #retarget}) replaces it and opens latching again. Null while no address is known (a late offer before its
 * answer, or c=0.0.0.0), until an SDP address comes or packets latch one. An SDP address of the other IP family than
 * the socket's own bound address cannot be reached from it (linphone offers its IPv6 ULA while calling over IPv4): it
 * counts as no address, and the caller's packets latch the real one. Changed only on the event loop (times from its
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
    /** Packets in sequence that make a source on another host than the SDP's valid (RFC 3550 A.1, MIN_SEQUENTIAL). */
    static final int MIN_SEQUENTIAL = 2;

    /** The socket's bound address; null or a wildcard when unknown (then every SDP address is taken as reachable). */
    private final InetAddress local;
    private volatile InetSocketAddress current;
    private volatile boolean latched;
    /** The source latched before the last retarget that replaced one, refused until {@link #replacedUntil}. */
    private InetSocketAddress replaced;
    private long replacedUntil;
    /** The SDP address's host, or null (none, or c=0.0.0.0). */
    private InetAddress sdpHost;
    /** A source on another host on probation: its last sequence number and how many came in sequence. */
    private InetSocketAddress candidate;
    private int candidateSequence;
    private int candidateRun;

    RemoteEndpoint(InetSocketAddress sdpRemote) {
        this(sdpRemote, null);
    }

    /** Sends to {@code sdpRemote} if a socket bound to {@code local} (null: unknown) can reach it. */
    RemoteEndpoint(InetSocketAddress sdpRemote, InetAddress local) {
        this.local = local;
        this.current = reachable(sdpRemote);
        this.sdpHost = host(sdpRemote);
    }

    private static InetAddress host(InetSocketAddress sdpRemote) {
        InetAddress host = sdpRemote == null ? null : sdpRemote.getAddress();
        return host == null || host.isAnyLocalAddress() ? null : host;
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
     * address and it is not a source in quarantine; returns true if it latched now. For RTCP, whose reports carry no
     * media; RTP goes through {@link #latchRtp}.
     */
    boolean latch(InetSocketAddress source, long nowNanos) {
        if (latched || source == null || (source.equals(replaced) && nowNanos - replacedUntil < 0)) {
            return false;
        }
        latched = true;
        current = source;
        candidate = null;
        return true;
    }

    /**
     * {@link #latch} for a valid RTP packet with sequence number {@code sequence}: at once from the SDP address's host,
     * from another host once {@link #MIN_SEQUENTIAL} of its packets have come in sequence with nothing from another
     * source between them. Allocates nothing.
     */
    boolean latchRtp(InetSocketAddress source, int sequence, long nowNanos) {
        if (latched || source == null) {
            return false;
        }
        if (sdpHost == null || !sdpHost.equals(source.getAddress())) {
            boolean inSequence = source.equals(candidate) && sequence == SequenceNumbers.next(candidateSequence);
            candidateRun = inSequence ? candidateRun + 1 : 1;
            candidate = source;
            candidateSequence = sequence;
            if (candidateRun < MIN_SEQUENTIAL) {
                return false;
            }
        }
        return latch(source, nowNanos);
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
        sdpHost = host(sdpRemote);
        candidate = null;
    }
}
