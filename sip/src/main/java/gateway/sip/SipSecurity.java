package gateway.sip;

import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The secure-transport settings of the SIP server: SRTP and its keys' path (RFC 4568 §8.3: keys in SDP are as safe
 * as the signalling), the TLS listener, and who may speak the PROXY protocol.
 *
 * @param srtp             whether calls use SRTP
 * @param srtpOverPlainSip whether SDES keys may travel over UDP or TCP signalling (anyone on the path reads them)
 * @param tls              the TLS listener, or null for none
 * @param proxyTrusted     the addresses whose TCP and TLS connections may start with a PROXY protocol header (v1 or
 *                         v2); a header from anyone else closes the connection; null: PROXY protocol off
 */
public record SipSecurity(SrtpMode srtp, boolean srtpOverPlainSip, SipTls tls, Predicate<InetAddress> proxyTrusted) {

    /** Plain RTP, no TLS, no PROXY protocol. */
    public static final SipSecurity NONE = new SipSecurity(SrtpMode.OFF, false, null, null);

    public SipSecurity {
        Objects.requireNonNull(srtp, "srtp");
    }

    /** True when some addresses may send a PROXY protocol header. */
    boolean proxyProtocol() {
        return proxyTrusted != null;
    }

    /** The SDES policy of a dialog whose INVITE came over {@code transport}. */
    SdesPolicy sdesOver(Transport transport) {
        return SdesPolicy.of(srtp, transport == Transport.TLS, srtpOverPlainSip);
    }
}
