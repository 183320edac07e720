package gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The network sources allowed to place calls, as a list of CIDR blocks. A call from anywhere else is refused before
 * any Realtime session is opened, so nobody outside the list can spend the operator's money.
 */
public final class SourceFilter {

    /** Every source. */
    public static final SourceFilter ANY = new SourceFilter("any", List.of());
    /** Only this machine (127.0.0.0/8 and ::1). */
    public static final SourceFilter LOOPBACK = parse("127.0.0.0/8,::1/128");

    private final String text;
    private final List<Block> blocks;

    private SourceFilter(String text, List<Block> blocks) {
        this.text = text;
        this.blocks = blocks;
    }

    /** Parses {@code any} or comma-separated CIDRs such as {@code 10.0.0.0/8, 192.0.2.7, 2001:db8::/32}. */
    public static SourceFilter parse(String spec) {
        if (spec.trim().equalsIgnoreCase("any")) {
            return ANY;
        }
        List<Block> blocks = new ArrayList<>();
        for (String part : spec.split(",")) {
            String cidr = part.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            blocks.add(Block.parse(cidr));
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no address blocks in '" + spec + "' (use 'any' to allow everyone)");
        }
        return new SourceFilter(spec.trim(), List.copyOf(blocks));
    }

    /** True when {@code address} may place calls. */
    public boolean allows(InetAddress address) {
        if (this == ANY) {
            return true;
        }
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!host.matches("[0-9A-Fa-f.:]+")) {
                throw new IllegalArgumentException("not an IP address: '" + cidr + "'");
            }
            byte[] net;
            try {
                net = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: '" + cidr + "'");
            }
            int bits = net.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
            }
            return new Block(net, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
