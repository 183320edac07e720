package gateway.bridge.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** What running a tool gave: its answer, or a failure the model is told about as an error object. */
public sealed interface ToolResult {

    /** The {@code function_call_output} the model gets: JSON text. */
    String output();

    /** The tool answered; {@code output} is JSON text (an object, as the model expects). */
    record Success(String output) implements ToolResult {
        public Success {
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * The tool did not answer usefully: {@code code} is short and stable ({@code timeout}, {@code http_502},
     * {@code unknown_tool}, …) for call.json and the metrics; {@code message} says what happened, for the model.
     */
    record Failure(String code, String message) implements ToolResult {

        private static final ObjectMapper JSON = new ObjectMapper();

        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** {@code {"error":{"code":…,"message":…}}}. */
        @Override
        public String output() {
            ObjectNode root = JSON.createObjectNode();
            root.putObject("error").put("code", code).put("message", message);
            return root.toString();
        }
    }
}
