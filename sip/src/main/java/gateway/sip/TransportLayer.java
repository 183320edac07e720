package gateway.sip;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The SIP transport layer (RFC 3261 §18): writes messages to a peer and finds the peer for a request of ours.
 * Used on the SIP event loop.
 */
final class TransportLayer {

    private static final System.Logger LOG = System.getLogger(TransportLayer.class.getName());

    private final TcpConnector connector;

    TransportLayer(TcpConnector connector) {
        this.connector = connector;
    }

    /** Writes {@code bytes} to the peer: a datagram to its address on UDP, the connection on TCP. */
    void send(SipPeer peer, byte[] bytes) {
        send(peer, bytes, false);
    }

    /** Writes {@code bytes}, then closes a TCP connection (after a framing error, RFC 3261 §18.3). */
    void sendAndClose(SipPeer peer, byte[] bytes) {
        send(peer, bytes, true);
    }

    private void send(SipPeer peer, byte[] bytes, boolean closeAfter) {
        if (peer.transport() == Transport.UDP) {
            peer.channel().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer.remote()))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            return;
        }
        if (!peer.channel().isActive()) {
            LOG.log(System.Logger.Level.DEBUG, "TCP connection to {0} closed; message dropped", peer.remote());
            return;
        }
        var future = peer.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes));
        future.addListener(closeAfter ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** A new TCP connection to {@code remote} for a request of ours outside any dialog (a REGISTER). */
    CompletableFuture<SipPeer> connect(InetSocketAddress remote) {
        return connector.connect(Transport.TCP, remote);
    }

    /**
     * The peer for a request of ours in a dialog whose remote last spoke through {@code last} (RFC 3261 §18.1.1), to
     * {@code hop} (null: unknown): over the transport the hop's URI names (a Route with {@code transport=tls} or a
     * {@code sips:} one after a UDP INVITE opens a TLS connection), else over {@code last}'s. On UDP a datagram to the
     * hop, or to {@code last}'s address when the hop is no IP literal; on TCP and TLS {@code last}'s connection while
     * it is open, else a new connection to the hop. A hop naming UDP while the dialog speaks over a connection keeps
     * the connection (the UDP socket belongs to the core).
     */
    CompletableFuture<SipPeer> peerFor(SipPeer last, Dialog.NextHop hop) {
        InetSocketAddress address = hop == null ? null : hop.address();
        Transport wanted = hop == null || hop.transport() == null || hop.transport() == Transport.UDP
                ? last.transport() : hop.transport();
        if (wanted == Transport.UDP) {
            InetSocketAddress remote = address != null ? address : last.remote();
            return CompletableFuture.completedFuture(new SipPeer(Transport.UDP, last.channel(), remote));
        }
        if (wanted == last.transport() && last.channel().isActive()) {
            return CompletableFuture.completedFuture(last);
        }
        if (address == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection closed and no IP next hop"));
        }
        return connector.connect(wanted, address);
    }
}
