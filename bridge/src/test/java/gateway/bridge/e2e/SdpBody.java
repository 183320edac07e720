package gateway.bridge.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * An SDP body (RFC 4566) as its lines, for exact assertions on what the gateway offered or answered.
 *
 * @param lines the lines in order, without line ends
 */
record SdpBody(List<String> lines) {

    /** The o= line's parts (RFC 4566 §5.2): {@code o=<username> <sess-id> <sess-version> IN IP4 <address>}. */
    record Origin(String username, long sessionId, long version, String address) {
    }

    static SdpBody of(SipMessage message) {
        List<String> lines = new ArrayList<>();
        for (String line : message.body().replace("\r\n", "\n").split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return new SdpBody(List.copyOf(lines));
    }

    Origin origin() {
        String[] parts = line("o=").substring(2).split(" ");
        if (parts.length != 6) {
            throw new AssertionError("bad o= line in " + lines);
        }
        return new Origin(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[5]);
    }

    /** The port of the first m=audio line. */
    int audioPort() {
        return Integer.parseInt(line("m=audio ").split(" ")[1]);
    }

    /** The first line starting with {@code prefix}. */
    String line(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " line in " + lines));
    }

    /** The same SDP with another session version in o=. */
    SdpBody withVersion(long version) {
        Origin o = origin();
        String origin = "o=" + o.username() + " " + o.sessionId() + " " + version + " IN IP4 " + o.address();
        return new SdpBody(lines.stream().map(l -> l.startsWith("o=") ? origin : l).toList());
    }

    /** The same SDP with {@code a=<direction>} in place of its direction attribute (RFC 4566 §6). */
    SdpBody withDirection(String direction) {
        return new SdpBody(lines.stream()
                .map(l -> l.matches("a=(sendrecv|sendonly|recvonly|inactive)") ? "a=" + direction : l)
                .toList());
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
