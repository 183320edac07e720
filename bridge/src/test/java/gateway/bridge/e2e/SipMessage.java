package gateway.bridge.e2e;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One SIP message as text, split into start line, headers and body; used to assert on what SIPp or a raw socket saw.
 *
 * @param time     when SIPp logged it (null for messages not taken from a SIPp log)
 * @param received true for a message that arrived at the test's side
 */
record SipMessage(LocalDateTime time, boolean received, String startLine, List<Map.Entry<String, String>> headers,
                  String body) {

    /** RFC 3261 §7.3.3 compact header forms, mapped to their full names. */
    private static final Map<String, String> COMPACT = Map.of(
            "i", "call-id", "v", "via", "f", "from", "t", "to", "m", "contact", "l", "content-length",
            "c", "content-type", "k", "supported", "s", "subject", "e", "content-encoding");

    /** Parses a SIP message (CRLF or LF line ends). */
    static SipMessage parse(String text, LocalDateTime time, boolean received) {
        String normalised = text.replace("\r\n", "\n");
        int bodyAt = normalised.indexOf("\n\n");
        String head = bodyAt < 0 ? normalised : normalised.substring(0, bodyAt);
        String body = bodyAt < 0 ? "" : normalised.substring(bodyAt + 2);
        String[] lines = head.strip().split("\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                Map.Entry<String, String> last = headers.remove(headers.size() - 1);
                headers.add(Map.entry(last.getKey(), last.getValue() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
            }
        }
        return new SipMessage(time, received, lines[0].strip(), List.copyOf(headers), body);
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** The status code of a response, -1 for a request. */
    int statusCode() {
        return isResponse() ? Integer.parseInt(startLine.split(" ")[1]) : -1;
    }

    /** The method of a request, or the CSeq method of a response. */
    String method() {
        if (!isResponse()) {
            return startLine.split(" ")[0];
        }
        String[] cseq = header("CSeq").orElse("").split("\\s+");
        return cseq.length == 2 ? cseq[1] : "";
    }

    /** The sequence number of the CSeq header (RFC 3261 §8.1.1.5), -1 without one. */
    long cseq() {
        String[] cseq = header("CSeq").orElse("").split("\\s+");
        return cseq.length == 2 ? Long.parseLong(cseq[0]) : -1;
    }

    /** The first value of a header (name case-insensitive, compact forms understood). */
    Optional<String> header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value of a header, in order (name case-insensitive, compact forms understood). */
    List<String> headers(String name) {
        String wanted = canonical(name);
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (canonical(h.getKey()).equals(wanted)) {
                values.add(h.getValue());
            }
        }
        return values;
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(lower, lower);
    }
}
