package gateway.library;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must not be stored in a transcript: card numbers ({@link CardNumbers}) and configured patterns. Each
 * found span, or each run of overlapping ones, is replaced by {@code [redacted:<kind>]}, and the result lists where
 * the masks sit in the new text; the text that was there is kept nowhere. The same masks apply to the rest of the
 * text a call log stores: the model's tool arguments and the tools' outputs ({@link #tools}) and a supervisor's
 * texts ({@link #actions}). Immutable; safe from any thread.
 */
public final class TranscriptRedactor {

    /** The kind of a masked card number. */
    public static final String CARD = "card";
    /** Masks nothing. */
    public static final TranscriptRedactor NONE = new TranscriptRedactor(false, List.of());

    private final boolean cards;
    private final List<NamedPattern> patterns;

    /** A configured pattern: what it is called (its mask says so) and what it matches. */
    public record NamedPattern(String name, Pattern regex) {
        public NamedPattern {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(regex, "regex");
        }
    }

    /** A text after redaction, and the masks in it. */
    public record Result(String text, List<Mask> masks) {
        public Result {
            masks = List.copyOf(masks);
        }
    }

    /** One mask in a redacted text, {@code [start, end)}. */
    public record Mask(String kind, int start, int end) {
    }

    public TranscriptRedactor(boolean cards, List<NamedPattern> patterns) {
        this.cards = cards;
        this.patterns = List.copyOf(patterns);
    }

    /** True when it masks anything at all. */
    public boolean active() {
        return cards || !patterns.isEmpty();
    }

    /** The mask put in place of a span of {@code kind}. */
    public static String mask(String kind) {
        return "[redacted:" + kind + "]";
    }

    /**
     * The tool calls as call.json stores them, their arguments and outputs masked (each in the form call.json gives
     * it back, {@link CallJson#storedText}); each mask is added to {@code redactions} with the call's
     * {@code call_id}.
     */
    public List<ToolCall> tools(List<ToolCall> calls, List<Redaction> redactions) {
        if (!active()) {
            return calls;
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            String arguments = stored(call.arguments(), call.callId(), Redaction.TOOL_ARGUMENTS, redactions);
            String output = stored(call.output(), call.callId(), Redaction.TOOL_OUTPUT, redactions);
            out.add(Objects.equals(arguments, call.arguments()) && Objects.equals(output, call.output()) ? call
                    : new ToolCall(call.name(), call.callId(), call.server(), call.startMs(), call.endMs(),
                    call.latencyMs(), arguments, output, call.error()));
        }
        return out;
    }

    /**
     * The supervisors' actions as call.json stores them, the texts said and the instructions set masked; each mask is
     * added to {@code redactions} with the action's index.
     */
    public List<CallAction> actions(List<CallAction> actions, List<Redaction> redactions) {
        if (!active()) {
            return actions;
        }
        List<CallAction> out = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            CallAction action = actions.get(i);
            String detail = action.detail();
            if (detail != null && action.supervisorText()) {
                Result r = redact(detail, true);
                for (Mask mask : r.masks()) {
                    redactions.add(new Redaction(null, mask.kind(), mask.start(), mask.end(),
                            Redaction.ACTION_DETAIL, i));
                }
                detail = r.text();
            }
            out.add(Objects.equals(detail, action.detail()) ? action
                    : new CallAction(action.atMs(), action.action(), action.by(), detail));
        }
        return out;
    }

    /** One tool text in its stored form, masked; null stays null. */
    private String stored(String text, String itemId, String field, List<Redaction> redactions) {
        if (text == null) {
            return null;
        }
        Result r = redact(CallJson.storedText(text), true);
        if (r.masks().isEmpty()) {
            return text;
        }
        for (Mask mask : r.masks()) {
            redactions.add(new Redaction(itemId, mask.kind(), mask.start(), mask.end(), field, Redaction.NO_INDEX));
        }
        return r.text();
    }

    /**
     * {@code text} with its card numbers and pattern matches masked. {@code complete} is false for a text still
     * growing (a reply's transcript so far), whose trailing digits may be the start of a card number.
     */
    public Result redact(String text, boolean complete) {
        if (text == null || text.isEmpty() || !active()) {
            return new Result(text == null ? "" : text, List.of());
        }
        List<Mask> found = new ArrayList<>();
        if (cards) {
            for (CardNumbers.Span span : CardNumbers.find(text, complete)) {
                found.add(new Mask(CARD, span.start(), span.end()));
            }
        }
        for (NamedPattern pattern : patterns) {
            Matcher m = pattern.regex().matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    found.add(new Mask(pattern.name(), m.start(), m.end()));
                }
            }
        }
        if (found.isEmpty()) {
            return new Result(text, List.of());
        }
        found.sort(Comparator.comparingInt(Mask::start));
        StringBuilder out = new StringBuilder(text.length());
        List<Mask> masks = new ArrayList<>();
        int copied = 0;
        int i = 0;
        while (i < found.size()) {
            Mask first = found.get(i);
            int end = first.end();
            i++;
            while (i < found.size() && found.get(i).start() < end) {
                end = Math.max(end, found.get(i).end());
                i++;
            }
            out.append(text, copied, first.start());
            int at = out.length();
            out.append(mask(first.kind()));
            masks.add(new Mask(first.kind(), at, out.length()));
            copied = end;
        }
        out.append(text, copied, text.length());
        return new Result(out.toString(), masks);
    }
}
