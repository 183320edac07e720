package gateway.sip;

import java.util.Objects;

/**
 * Where the SIP server listens and how it names itself.
 *
 * @param listenAddress local address to bind (e.g. "0.0.0.0" or "127.0.0.1")
 * @param port          UDP and TCP port; 0 picks an ephemeral port shared by both transports
 * @param publicHost    host or IP written into Via, Contact and SDP (null or blank: the listen address)
 * @param userAgent     value of the Server and User-Agent headers
 * @param security      SRTP, the TLS listener and the PROXY protocol
 */
public record SipServerSettings(String listenAddress, int port, String publicHost, String userAgent,
                                SipSecurity security) {

    /** Settings without TLS, SRTP or PROXY protocol. */
    public SipServerSettings(String listenAddress, int port, String publicHost, String userAgent) {
        this(listenAddress, port, publicHost, userAgent, SipSecurity.NONE);
    }

    public SipServerSettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(security, "security");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (publicHost == null || publicHost.isBlank()) {
            publicHost = listenAddress;
        }
        if (userAgent == null || userAgent.isBlank()) {
            userAgent = "gateway";
        }
    }
}
