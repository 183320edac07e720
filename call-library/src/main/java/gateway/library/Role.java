package gateway.library;

/** Who spoke a turn; serialised in call.json as {@code "caller"} or {@code "assistant"}. */
public enum Role {
    CALLER("caller", "Caller"),
    ASSISTANT("assistant", "Assistant");

    private final String jsonName;
    private final String label;

    Role(String jsonName, String label) {
        this.jsonName = jsonName;
        this.label = label;
    }

    /** The lower-case name used in call.json. */
    public String jsonName() {
        return jsonName;
    }

    /** The speaker label used in captions. */
    public String label() {
        return label;
    }
}
