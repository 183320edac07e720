package gateway.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forgiving line-level view of a message's start line and headers (RFC 3261 §7.3.1 folding and §7.3.3 compact
 * forms), independent of jain-sip, used to answer 400 to messages the real parser rejects and to catch what it lets by.
 */
final class RawHeaders {

    private static final Map<String, String> COMPACT = Map.of(
            "v", "via", "f", "from", "t", "to", "i", "call-id", "l", "content-length",
            "m", "contact", "c", "content-type", "k", "supported", "s", "subject", "e", "content-encoding");

    /** A header line: lower-case full name and the value as received (unfolded, trimmed). */
    record Field(String name, String value) {
    }

    private final String startLine;
    private final List<Field> fields;

    private RawHeaders(String startLine, List<Field> fields) {
        this.startLine = startLine;
        this.fields = fields;
    }

    /** Scans the header section of {@code message} (everything before the first empty line). */
    static RawHeaders scan(byte[] message) {
        int end = headerEnd(message);
        String head = new String(message, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isEmpty()) {
            first++;
        }
        String startLine = first < lines.length ? lines[first] : "";
        List<String> unfolded = new ArrayList<>();
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !unfolded.isEmpty()) {
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + " " + line.trim());
            } else {
                unfolded.add(line);
            }
        }
        List<Field> fields = new ArrayList<>(unfolded.size());
        for (String line : unfolded) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            fields.add(new Field(COMPACT.getOrDefault(name, name), line.substring(colon + 1).trim()));
        }
        return new RawHeaders(startLine, List.copyOf(fields));
    }

    /** Index just past the header section (the empty line included), or the whole length if it has none. */
    static int headerEnd(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && message[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 3 < message.length && message[i] == '\r' && message[i + 1] == '\n'
                    && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 4;
            }
        }
        return message.length;
    }

    String startLine() {
        return startLine;
    }

    /** Values of every header named {@code name} (lower-case full name), in order. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>(2);
        for (Field field : fields) {
            if (field.name.equals(name)) {
                values.add(field.value);
            }
        }
        return values;
    }

    int count(String name) {
        int count = 0;
        for (Field field : fields) {
            if (field.name.equals(name)) {
                count++;
            }
        }
        return count;
    }

    /** The request method if the start line looks like "METHOD ... SIP/x.y" (even with a damaged URI), else null. */
    String requestMethod() {
        String[] parts = startLine.trim().split("\\s+");
        if (parts.length < 3 || !parts[parts.length - 1].toUpperCase(Locale.ROOT).startsWith("SIP/")
                || parts[0].isEmpty()) {
            return null;
        }
        return parts[0];
    }

    /** True when this is a request other than ACK with Via, From, To, Call-ID and CSeq (first ones are used). */
    boolean canAnswer() {
        String method = requestMethod();
        return method != null && !method.equals("ACK") && count("via") > 0 && count("from") > 0 && count("to") > 0
                && count("call-id") > 0 && count("cseq") > 0;
    }

    /** The first value of header {@code name}, or null. */
    String first(String name) {
        for (Field field : fields) {
            if (field.name.equals(name)) {
                return field.value;
            }
        }
        return null;
    }

    /** The tag parameter of the To header if present, else null (a raw, parser-free look). */
    String toTag() {
        String value = first("to");
        if (value == null) {
            return null;
        }
        int close = value.lastIndexOf('>');
        String params = close >= 0 ? value.substring(close + 1) : value;
        for (String param : params.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("tag=")) {
                return p.substring(4);
            }
        }
        return null;
    }
}
