package gateway.demoagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;

/**
 * A function call the demo agent makes when its script says so ({@link DemoScript#withToolCall}): the tool's
 * {@code name}, which the session must declare, and its {@code arguments} as JSON object text
 * (docs/realtime-protocol.md §5.4); {@code afterSpeech}: the response first says its reply, then calls the tool
 * ({@link DemoScript#withToolCallAfterSpeech}).
 */
public record DemoToolCall(String name, String arguments, boolean afterSpeech) {

    /** A call that is the whole response. */
    public DemoToolCall(String name, String arguments) {
        this(name, arguments, false);
    }

    public DemoToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if (!SessionCheck.TOOL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a function name: '" + name + "'");
        }
        boolean object;
        try {
            object = DemoEvents.MAPPER.readTree(arguments).isObject();
        } catch (JsonProcessingException e) {
            object = false;
        }
        if (!object) {
            throw new IllegalArgumentException("arguments must be a JSON object, got: " + arguments);
        }
    }
}
