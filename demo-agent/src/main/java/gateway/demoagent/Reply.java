package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One response of the agent (docs/realtime-protocol.md §4): what every response sends around its output item,
 * from {@code response.created} to {@code response.done}, completed or cancelled (§5.2). What the item holds and
 * how it is streamed is the subclass's: speech ({@link SpokenReply}) or a function call ({@link ToolCallReply}).
 *
 * <p>Threading: used only on the session's event loop.
 */
abstract sealed class Reply permits SpokenReply, ToolCallReply {

    /** What a reply needs of its session. */
    record Context(DemoScript script, SessionConfig config, Conversation conversation, EventSink out,
                   ScheduledExecutorService loop, String conversationId, Responses responses) {
    }

    final String responseId = DemoEvents.id("resp");
    final String itemId = DemoEvents.id("item");
    final Context ctx;
    private ScheduledFuture<?> timer;
    private boolean over;

    Reply(Context ctx) {
        this.ctx = ctx;
    }

    /** The output item as it stands: {@code in_progress}, {@code completed} or {@code incomplete}. */
    abstract ObjectNode item(String status);

    /** Sends what follows the item's announcement at once; the first step comes after the reply delay. */
    abstract void opened();

    /** The next piece of output; calls {@link #later} for the one after, or {@link #complete} after the last. */
    abstract void step();

    /** The reply is cancelled: notes how far it got. */
    abstract void cancelled();

    /** §4: response.created, the output item added to the response and to the conversation, then the output. */
    final void start() {
        ObjectNode created = DemoEvents.event("response.created");
        created.set("response", response("in_progress", null, null));
        ctx.out().send(created);
        ObjectNode added = DemoEvents.event("response.output_item.added");
        added.put("response_id", responseId);
        added.put("output_index", 0);
        added.set("item", item("in_progress"));
        ctx.out().send(added);
        ObjectNode itemAdded = DemoEvents.event("conversation.item.added");
        itemAdded.put("previous_item_id", ctx.conversation().append(item("in_progress")));
        itemAdded.set("item", item("in_progress"));
        ctx.out().send(itemAdded);
        opened();
        later(ctx.script().replyDelayMs());
    }

    /** Runs {@link #step} after {@code ms}, unless the reply is over by then. */
    final void later(long ms) {
        timer = ctx.loop().schedule(() -> {
            if (!over) {
                step();
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    /** The end of a whole reply: the item done in the conversation and in the response, then response.done. */
    final void complete() {
        over = true;
        ObjectNode item = item("completed");
        ctx.conversation().replace(item.deepCopy());
        ObjectNode itemDone = DemoEvents.event("conversation.item.done");
        itemDone.set("item", item);
        ctx.out().send(itemDone);
        ObjectNode outputDone = DemoEvents.event("response.output_item.done");
        outputDone.put("response_id", responseId);
        outputDone.put("output_index", 0);
        outputDone.set("item", item);
        ctx.out().send(outputDone);
        ctx.responses().finished(this);
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", response("completed", null, item));
        ctx.out().send(done);
    }

    /** §5.2: the response ends with response.done cancelled for {@code reason}; nothing more is sent. */
    final void cancel(String reason) {
        stop();
        cancelled();
        ObjectNode item = item("incomplete");
        ctx.conversation().replace(item.deepCopy());
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", response("cancelled", reason, item));
        ctx.out().send(done);
    }

    /** Nothing more is sent: the socket is closing. */
    final void stop() {
        over = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private ObjectNode response(String status, String cancelReason, ObjectNode outputItem) {
        return DemoEvents.response(responseId, ctx.conversationId(), ctx.config().voice(), status, cancelReason,
                outputItem);
    }

    /** An event of this reply's output carrying response_id, item_id, output_index and content_index (§4). */
    final ObjectNode outputEvent(String type) {
        return DemoEvents.ids(DemoEvents.event(type), responseId, itemId);
    }
}
