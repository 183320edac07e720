package gateway.sip;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 and IPv6 literals (brackets allowed) to addresses without any DNS lookup, which would block the SIP loop. */
final class IpLiterals {

    private IpLiterals() {
    }

    /** The address {@code host} spells, or null when it is a host name or nothing at all. */
    static InetAddress parse(String host) {
        if (host == null) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host.trim());
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
