package gateway.sip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses no one outside their own network can reach: what a phone behind a NAT writes in its Contact. */
final class PrivateAddresses {

    /** 100.64.0.0/10, shared address space of carrier-grade NAT (RFC 6598). */
    private static final int CGN_PREFIX = 0x64_40_00_00;
    private static final int CGN_MASK = 0xFF_C0_00_00;
    /** fc00::/7, unique local addresses (RFC 4193). */
    private static final int ULA_FIRST_BYTE = 0xFC;
    private static final int ULA_MASK = 0xFE;

    private PrivateAddresses() {
    }

    /** True for RFC 1918, CGN, link-local and IPv6 unique local addresses. */
    static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int value = ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8)
                    | (bytes[3] & 0xFF);
            return (value & CGN_MASK) == CGN_PREFIX;
        }
        return address instanceof Inet6Address && ((bytes[0] & ULA_MASK) == ULA_FIRST_BYTE);
    }
}
