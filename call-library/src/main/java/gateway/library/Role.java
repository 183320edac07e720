package gateway.library;

import java.util.Optional;

/**
 * Who spoke a turn, and whose audio a channel of audio.wav holds; serialised in call.json as {@code "caller"} or
 * {@code "assistant"}.
 */
public enum Role {
    CALLER("caller", "Caller", 0),
    ASSISTANT("assistant", "Assistant", 1);

    private final String jsonName;
    private final String label;
    private final int channel;

    Role(String jsonName, String label, int channel) {
        this.jsonName = jsonName;
        this.label = label;
        this.channel = channel;
    }

    /** The lower-case name used in call.json and in the QA API's {@code channel} parameter. */
    public String jsonName() {
        return jsonName;
    }

    /** The speaker label used in captions. */
    public String label() {
        return label;
    }

    /** Its channel in audio.wav: 0 (left) for the caller, 1 (right) for the assistant. */
    public int channel() {
        return channel;
    }

    /** The role call.json names {@code jsonName}, if any. */
    public static Optional<Role> fromJsonName(String jsonName) {
        for (Role role : values()) {
            if (role.jsonName.equals(jsonName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
