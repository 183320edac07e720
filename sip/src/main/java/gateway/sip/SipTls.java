package gateway.sip;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5630): the listener's port, the server context (certificate chain and key, and
 * the CA client certificates must chain to when mutual TLS is on) and the client context of the connections we open
 * for our own requests, which checks the remote's certificate against the JDK's trust store and its address.
 */
public record SipTls(int port, SslContext server, SslContext client) {

    /** Default port of SIP over TLS (RFC 3261 §19.1.2). */
    public static final int DEFAULT_PORT = 5061;
    /** A TLS handshake must finish within this, or the connection is closed: a silent client holds no socket long. */
    public static final long HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    public SipTls {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(client, "client");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Loads the PEM certificate chain and PKCS#8 key, and with {@code clientCa} (null: none) requires client
     * certificates that chain to it. Throws {@link IllegalArgumentException} saying what is wrong with which file.
     */
    public static SipTls fromPem(int port, Path certificateChain, Path key, Path clientCa) {
        SslContextBuilder server = SslContextBuilder.forServer(certificateChain.toFile(), key.toFile());
        if (clientCa != null) {
            File ca = clientCa.toFile();
            server.trustManager(ca).clientAuth(ClientAuth.REQUIRE);
        }
        try {
            return new SipTls(port, server.build(), SslContextBuilder.forClient().endpointIdentificationAlgorithm(
                    "HTTPS").build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + certificateChain + " and " + key
                    + (clientCa == null ? "" : " with client CA " + clientCa) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SipTls[port=" + port + "]";
    }
}
