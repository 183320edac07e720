package gateway.sip;

import java.util.List;
import java.util.Objects;

/**
 * Where the SIP server listens and how it names itself.
 *
 * @param listenAddress local address to bind (e.g. "0.0.0.0" or "127.0.0.1")
 * @param port          UDP and TCP port; 0 picks an ephemeral port shared by both transports
 * @param publicHost    host or IP written into Via, Contact and SDP (null or blank: the listen address)
 * @param userAgent     value of the Server and User-Agent headers
 * @param security      SRTP, the TLS listener and the PROXY protocol
 * @param codecs        the audio codecs offered and accepted, in preference order ({@code rtp.codecs})
 * @param connections   the caps on TCP and TLS connections and their message timeout
 */
public record SipServerSettings(String listenAddress, int port, String publicHost, String userAgent,
                                SipSecurity security, List<AudioCodec> codecs, ConnectionLimits connections) {

    /** Settings without TLS, SRTP or PROXY protocol, with the default codec order. */
    public SipServerSettings(String listenAddress, int port, String publicHost, String userAgent) {
        this(listenAddress, port, publicHost, userAgent, SipSecurity.NONE);
    }

    /** Settings with the default codec order. */
    public SipServerSettings(String listenAddress, int port, String publicHost, String userAgent,
                             SipSecurity security) {
        this(listenAddress, port, publicHost, userAgent, security, AudioCodec.DEFAULT_ORDER);
    }

    /** Settings with the default connection limits. */
    public SipServerSettings(String listenAddress, int port, String publicHost, String userAgent,
                             SipSecurity security, List<AudioCodec> codecs) {
        this(listenAddress, port, publicHost, userAgent, security, codecs, ConnectionLimits.DEFAULT);
    }

    public SipServerSettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(connections, "connections");
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("no codecs");
        }
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
