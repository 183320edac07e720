package gateway.sip;

import java.util.Objects;

/**
 * Where the SIP server listens and how it names itself.
 *
 * @param listenAddress local address to bind (e.g. "0.0.0.0" or "127.0.0.1")
 * @param port          UDP and TCP port; 0 picks an ephemeral port shared by both transports
 * @param publicHost    host or IP written into Via, Contact and SDP (null or blank: the listen address)
 * @param userAgent     value of the Server and User-Agent headers
 */
public record SipServerSettings(String listenAddress, int port, String publicHost, String userAgent) {

    public SipServerSettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
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
