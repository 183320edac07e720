package gateway.rtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * The RTP socket connected to the source it latched ({@code connect(2)} on a UDP socket, Linux {@code udp(7)}). From
 * then on the kernel delivers only that source's datagrams: a third party can no longer put audio into the call
 * (its packets are refused as at a closed port), Netty reads each datagram without building a sender address, and
 * our packets go out without a destination to look up. A new SDP address {@link #disconnect disconnects} the socket,
 * so that the next packet latches again ({@link RemoteEndpoint#retarget}). Off ({@code enabled} false) with
 * {@code rtp.strict-source=false}, on a socket bound to an ephemeral port (a disconnect would give its port up), and
 * on the NIO transport (the JDK's connect drops the datagrams already queued on the socket): then every source is
 * heard, as before latching. Changed on the event loop only; {@link #peer} is read from any thread.
 */
final class ConnectedSource {

    private static final System.Logger LOG = System.getLogger(ConnectedSource.class.getName());

    private final boolean enabled;
    private volatile InetSocketAddress peer;

    ConnectedSource(boolean enabled) {
        this.enabled = enabled;
    }

    /** The source the socket is connected to, or null: then every packet out carries its destination. */
    InetSocketAddress peer() {
        return peer;
    }

    /** Connects {@code channel} to {@code source}, the address just latched; ignored when off or connected. */
    void connect(Channel channel, InetSocketAddress source) {
        if (!enabled || peer != null || !(channel instanceof DatagramChannel socket) || socket.isConnected()) {
            return;
        }
        // On the channel's own loop a datagram connect completes before it returns (no handshake).
        ChannelFuture connected = socket.connect(source);
        if (connected.isSuccess()) {
            peer = source;
        } else {
            LOG.log(Level.DEBUG, "RTP socket not connected to " + source + "; every source stays heard",
                    connected.cause());
        }
    }

    /** Disconnects {@code channel}, if connected, so that every source is heard again until the next latch. */
    void disconnect(Channel channel) {
        peer = null;
        if (channel instanceof DatagramChannel socket && socket.isConnected()) {
            socket.disconnect();
        }
    }
}
