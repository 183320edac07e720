package gateway.bridge.tools;

import java.util.Objects;

/**
 * One call of a tool by the model: which phone call, under which agent profile, which tool, the function call's own
 * {@code call_id}, its arguments (a JSON object as text), and the call's caller and callee (SIP URIs).
 */
public record ToolInvocation(String gatewayCallId, String profile, String tool, String toolCallId, String arguments,
                             String caller, String callee) {

    public ToolInvocation {
        Objects.requireNonNull(gatewayCallId, "gatewayCallId");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(arguments, "arguments");
    }
}
