package gateway.sip;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a TCP connection for a request of ours when the remote's own connection is gone (RFC 3261 §18.1.1). The
 * connection carries the same pipeline as accepted ones, so responses come back through the dispatcher. The future
 * may complete on any thread.
 */
@FunctionalInterface
interface TcpConnector {

    /** A connector for setups without TCP client connections (tests on UDP): every attempt fails. */
    TcpConnector NONE = (transport, remote) -> CompletableFuture.failedFuture(
            new IllegalStateException("no TCP connector"));

    /** Connects to {@code remote} (an IP address, never a name to resolve) over TCP or TLS. */
    CompletableFuture<SipPeer> connect(Transport transport, InetSocketAddress remote);
}
