package gateway.realtime;

import java.util.List;
import java.util.Objects;

/**
 * What the gateway asks of the Realtime session: the agent's instructions, its voice, the input transcription model
 * ({@code null} or empty: no input transcription, so caller turns get no transcript) and the tools the model may
 * call (functions without parameters, §5.4).
 */
public record SessionSettings(String instructions, String voice, String transcriptionModel, List<Tool> tools) {

    public SessionSettings {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** Settings without tools. */
    public SessionSettings(String instructions, String voice, String transcriptionModel) {
        this(instructions, voice, transcriptionModel, List.of());
    }

    /** A function the model may call; it takes no arguments. */
    public record Tool(String name, String description) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }
}
