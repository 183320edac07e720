package gateway.sip;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * The other end of a message: the transport, the channel to write on (the shared UDP channel or the TCP
 * connection) and the remote transport address.
 */
record SipPeer(Transport transport, Channel channel, InetSocketAddress remote) {
}
