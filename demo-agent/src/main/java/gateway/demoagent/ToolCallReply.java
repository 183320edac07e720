package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A scripted function call (docs/realtime-protocol.md §5.4): a response whose output item is a
 * {@code function_call}, its JSON arguments streamed in pieces, then {@code arguments.done}; no content parts, no
 * audio. The model goes on only when the client sends the call's output and a new {@code response.create}.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class ToolCallReply extends Reply {

    /** Characters of arguments per delta: a few tokens, as the model streams them. */
    static final int ARGUMENT_PIECE_CHARS = 16;

    private final String callId = DemoEvents.id("call");
    private final DemoToolCall call;
    private final DemoConnection view;
    private int argumentsSent;

    ToolCallReply(Context ctx, DemoToolCall call, DemoConnection view) {
        super(ctx);
        this.call = call;
        this.view = view;
    }

    /** The call as the item after {@code previous} (what the model said first) in the same response. */
    ToolCallReply(Reply previous, DemoToolCall call, DemoConnection view) {
        super(previous);
        this.call = call;
        this.view = view;
    }

    @Override
    ObjectNode item(String status) {
        ObjectNode item = DemoEvents.MAPPER.createObjectNode();
        item.put("id", itemId);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("call_id", callId);
        item.put("name", call.name());
        item.put("arguments", switch (status) {
            case "in_progress" -> "";
            case "completed" -> call.arguments();
            default -> call.arguments().substring(0, argumentsSent);
        });
        return item;
    }

    @Override
    void opened() {
    }

    @Override
    void step() {
        String arguments = call.arguments();
        int end = Math.min(arguments.length(), argumentsSent + ARGUMENT_PIECE_CHARS);
        ObjectNode delta = callEvent("response.function_call_arguments.delta");
        delta.put("delta", arguments.substring(argumentsSent, end));
        ctx.out().send(delta);
        argumentsSent = end;
        if (argumentsSent < arguments.length()) {
            later(ctx.script().deltaIntervalMs());
            return;
        }
        ObjectNode done = callEvent("response.function_call_arguments.done");
        done.put("name", call.name());
        done.put("arguments", arguments);
        ctx.out().send(done);
        view.toolCalled(callId, call.name(), arguments);
        usage().outputText += (arguments.length() + ARGUMENT_PIECE_CHARS - 1) / ARGUMENT_PIECE_CHARS;
        complete();
    }

    /** The fields every arguments event carries (§5.4). */
    private ObjectNode callEvent(String type) {
        ObjectNode e = DemoEvents.event(type);
        e.put("response_id", responseId);
        e.put("item_id", itemId);
        e.put("output_index", outputIndex);
        e.put("call_id", callId);
        return e;
    }

    @Override
    void cancelled() {
    }
}
