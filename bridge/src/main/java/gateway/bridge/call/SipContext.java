package gateway.bridge.call;

import gateway.sip.InboundCall;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the INVITE tells the agent about the call: the From and To URIs and the values of the headers the profile
 * lists ({@code agent.context-headers}), by the name as configured. Each text is the caller's: it is cut to
 * {@value #MAX_VALUE_CHARS} characters and stripped of control characters (line breaks among them), so a header
 * can only ever add its own one line to the instructions; at most {@value #MAX_VALUES} values of a header are kept.
 * A header the INVITE does not carry is absent.
 */
public record SipContext(String from, String to, Map<String, List<String>> headers) {

    /**
     * Longest value kept: an identity header (P-Asserted-Identity, Diversion) is well under 200 characters and a
     * User-to-User payload of a contact center carries an id, not a document; more is cut.
     */
    public static final int MAX_VALUE_CHARS = 256;
    /** Most values kept per header: a Diversion chain of a few hops; more is noise or an attack. */
    public static final int MAX_VALUES = 8;

    /** No caller facts: what a call without an INVITE's context (a test) renders. */
    public static final SipContext NONE = new SipContext(null, null, Map.of());

    public SipContext {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The context of {@code call} with the headers {@code listed}, cleaned as the class says. */
    public static SipContext of(InboundCall call, List<String> listed) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : listed) {
            List<String> values = call.headerValues(name).stream().limit(MAX_VALUES).map(SipContext::clean).toList();
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return new SipContext(clean(call.fromUri()), clean(call.toUri()), headers);
    }

    /** The values of header {@code name} (any case); empty when the INVITE had none or it is not listed. */
    public List<String> values(String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return header.getValue();
            }
        }
        return List.of();
    }

    /** {@code text} without control characters (C0, DEL, C1, line and paragraph separators), cut to the bound. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_VALUE_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                continue;
            }
            out.append(c);
        }
        if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
            out.setLength(out.length() - 1);
        }
        return out.toString().strip();
    }
}
