package gateway.library;

import java.util.Objects;

/**
 * One tool the model called during the call, in recording milliseconds: from the moment the gateway had the call's
 * arguments to the moment it had the answer the model got (or, for a remote MCP server's tool, from the call's start
 * to its end as the Realtime service reported them). A call said while the recording was paused keeps its times and
 * name but loses its arguments and output.
 *
 * @param name      the tool's name
 * @param callId    the function call's {@code call_id} (the MCP call's item id), or null
 * @param server    the label of the remote MCP server that ran it, or null for the gateway's own and webhook tools
 * @param latencyMs how long the tool took, measured on the call's clock (not rounded to the recording's ms)
 * @param arguments the arguments as the model gave them (JSON text), or null
 * @param output    what the model got back (JSON text: the result, or an error object), or null
 * @param error     a short code when the tool failed ({@code timeout}, {@code http_500}, {@code unknown_tool}, …),
 *                  null when it succeeded
 */
public record ToolCall(String name, String callId, String server, long startMs, long endMs, long latencyMs,
                       String arguments, String output, String error) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        if (startMs < 0 || endMs < startMs || latencyMs < 0) {
            throw new IllegalArgumentException("bad tool call times: " + startMs + "-" + endMs + ", " + latencyMs);
        }
    }

    /** The same call with its arguments and output replaced by {@code text} (it was said while paused). */
    public ToolCall redacted(String text) {
        return new ToolCall(name, callId, server, startMs, endMs, latencyMs, text, text, error);
    }
}
