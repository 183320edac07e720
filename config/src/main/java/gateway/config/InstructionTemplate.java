package gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The agent's instructions with placeholders for the call: {@code {{from}}} and {@code {{to}}} (the From and To
 * URIs) and {@code {{header.Name}}} (the values of a header listed in {@code agent.context-headers}, joined by
 * {@code ", "}). Rendering is one pass: a value is inserted as text and never read as a placeholder, and a missing
 * header renders empty. Immutable; safe from any thread.
 */
public final class InstructionTemplate {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";
    private static final String HEADER = "header.";

    /** One piece of the template: literal text or a placeholder. */
    private sealed interface Part permits Text, From, To, Header {
    }

    private record Text(String text) implements Part {
    }

    private record From() implements Part {
    }

    private record To() implements Part {
    }

    /** A header's values; {@code name} as the template spelled it (header names are case-insensitive). */
    private record Header(String name) implements Part {
    }

    private final List<Part> parts;

    private InstructionTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code text}; {@code headers} are the header names a {@code {{header.Name}}} may use (any case).
     *
     * @throws IllegalArgumentException naming the first unknown or unclosed placeholder
     */
    public static InstructionTemplate parse(String text, List<String> headers) {
        List<String> listed = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                parts.add(new Text(text.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Text(text.substring(at, open)));
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new IllegalArgumentException("a placeholder opened with {{ is never closed with }}");
            }
            String name = text.substring(open + OPEN.length(), close);
            parts.add(placeholder(name, listed));
            at = close + CLOSE.length();
        }
        return new InstructionTemplate(parts);
    }

    private static Part placeholder(String name, List<String> listed) {
        if (name.equals("from")) {
            return new From();
        }
        if (name.equals("to")) {
            return new To();
        }
        if (name.startsWith(HEADER) && listed.contains(name.substring(HEADER.length()).toLowerCase(Locale.ROOT))) {
            return new Header(name.substring(HEADER.length()));
        }
        String known = "{{from}}, {{to}}" + (listed.isEmpty() ? ""
                : ", " + String.join(", ", listed.stream().map(h -> "{{header." + h + "}}").toList()));
        throw new IllegalArgumentException("unknown placeholder {{" + name + "}} (known: " + known
                + (name.startsWith(HEADER) ? "; a header must be listed in context-headers" : "") + ")");
    }

    /** True when the template has a placeholder, so each call gets its own text. */
    public boolean hasPlaceholders() {
        return parts.stream().anyMatch(p -> !(p instanceof Text));
    }

    /**
     * The instructions for one call: {@code from} and {@code to} as the placeholders give them (null renders empty),
     * {@code header} the values of a listed header by name, in order (empty when the INVITE had none).
     */
    public String render(String from, String to, Function<String, List<String>> header) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(switch (part) {
                case Text t -> t.text();
                case From f -> orEmpty(from);
                case To t -> orEmpty(to);
                case Header h -> String.join(", ", header.apply(h.name()));
            });
        }
        return out.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
