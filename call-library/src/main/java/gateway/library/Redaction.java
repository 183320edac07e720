package gateway.library;

import java.util.Objects;

/**
 * One masked span of stored text, as call.json lists it (never the text that was there): what was found
 * ({@code kind}: {@value TranscriptRedactor#CARD} or a configured pattern's name), where the mask sits in the stored
 * text, {@code [startChar, endChar)} in UTF-16 units, and which text that is: a turn's (no {@code field}; its
 * {@code itemId}), a tool call's arguments or output ({@link #TOOL_ARGUMENTS}, {@link #TOOL_OUTPUT}; the tool call's
 * {@code call_id} as {@code itemId}) or a supervisor's text ({@link #ACTION_DETAIL}; the action's {@code index} in
 * call.json's {@code actions}).
 *
 * @param field null for a turn's text
 * @param index the action's position in {@code actions} for {@link #ACTION_DETAIL}; -1 otherwise
 */
public record Redaction(String itemId, String kind, int startChar, int endChar, String field, int index) {

    /** The arguments the model gave a tool, as call.json's {@code tools[].arguments} gives them back. */
    public static final String TOOL_ARGUMENTS = "tool_arguments";
    /** What a tool answered, as call.json's {@code tools[].output} gives it back. */
    public static final String TOOL_OUTPUT = "tool_output";
    /** A supervisor's text to say or instructions, call.json's {@code actions[].detail}. */
    public static final String ACTION_DETAIL = "action_detail";
    /** No action: the index of a mask in a turn or a tool call. */
    public static final int NO_INDEX = -1;

    public Redaction {
        Objects.requireNonNull(kind, "kind");
        if (startChar < 0 || endChar < startChar) {
            throw new IllegalArgumentException("bad span [" + startChar + ", " + endChar + ")");
        }
    }

    /** A mask in a turn's text. */
    public Redaction(String itemId, String kind, int startChar, int endChar) {
        this(itemId, kind, startChar, endChar, null, NO_INDEX);
    }
}
