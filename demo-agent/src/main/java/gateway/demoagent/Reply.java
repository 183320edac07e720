package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One output item of a response of the agent (docs/realtime-protocol.md §4) and, for the response's last item, what
 * every response sends around its items, from {@code response.created} to {@code response.done} (with the tokens it
 * used), completed or cancelled (§5.2). What the item holds and how it is streamed is the subclass's: speech
 * ({@link SpokenReply}) or a function call ({@link ToolCallReply}). A response may hold two items, speech and then a
 * function call ({@link #then}), as a model says goodbye and hangs up in one turn.
 *
 * <p>Threading: used only on the session's event loop.
 */
abstract sealed class Reply permits SpokenReply, ToolCallReply {

    /** What a reply needs of its session. */
    record Context(DemoScript script, SessionConfig config, Conversation conversation, EventSink out,
                   ScheduledExecutorService loop, String conversationId, Responses responses) {
    }

    final String responseId;
    final String itemId = DemoEvents.id("item");
    final int outputIndex;
    final Context ctx;
    /** The items of this response done so far, shared by its replies. */
    private final List<ObjectNode> doneItems;
    private final Usage usage;
    private Reply next;
    private ScheduledFuture<?> timer;
    private boolean over;

    /**
     * The tokens a response used, summed over its items, as the demo counts them: a word of text is a token; input
     * audio is one per {@value #MS_PER_INPUT_AUDIO_TOKEN} ms, output audio one per {@value #MS_PER_OUTPUT_AUDIO_TOKEN}
     * ms.
     */
    static final class Usage {
        static final long MS_PER_INPUT_AUDIO_TOKEN = 100;
        static final long MS_PER_OUTPUT_AUDIO_TOKEN = 50;
        long inputText;
        long inputAudio;
        long outputText;
        long outputAudio;
    }

    /** The first item of a new response. */
    Reply(Context ctx) {
        this.ctx = ctx;
        this.responseId = DemoEvents.id("resp");
        this.outputIndex = 0;
        this.doneItems = new ArrayList<>();
        this.usage = new Usage();
    }

    /** The item after {@code previous} in the same response. */
    Reply(Reply previous) {
        this.ctx = previous.ctx;
        this.responseId = previous.responseId;
        this.outputIndex = previous.outputIndex + 1;
        this.doneItems = previous.doneItems;
        this.usage = previous.usage;
    }

    /** Makes {@code following} (built on this reply) the response's next item, streamed once this one is done. */
    final void then(Reply following) {
        next = following;
    }

    /** The response's token usage, for its items to add to. */
    final Usage usage() {
        return usage;
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
        created.set("response", response("in_progress", null, List.of()));
        ctx.out().send(created);
        startItem();
    }

    /** The output item added to the response and to the conversation, then its output. */
    private void startItem() {
        ObjectNode added = DemoEvents.event("response.output_item.added");
        added.put("response_id", responseId);
        added.put("output_index", outputIndex);
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

    /**
     * The end of the item: done in the conversation and in the response; then the response's next item, or
     * response.done.
     */
    final void complete() {
        over = true;
        ObjectNode item = item("completed");
        ctx.conversation().replace(item.deepCopy());
        ObjectNode itemDone = DemoEvents.event("conversation.item.done");
        itemDone.set("item", item);
        ctx.out().send(itemDone);
        ObjectNode outputDone = DemoEvents.event("response.output_item.done");
        outputDone.put("response_id", responseId);
        outputDone.put("output_index", outputIndex);
        outputDone.set("item", item);
        ctx.out().send(outputDone);
        doneItems.add(item);
        if (next != null) {
            ctx.responses().handOver(this, next);
            next.startItem();
            return;
        }
        ctx.responses().finished(this);
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", response("completed", null, doneItems));
        ctx.out().send(done);
    }

    /** §5.2: the response ends with response.done cancelled for {@code reason}; nothing more is sent. */
    final void cancel(String reason) {
        stop();
        cancelled();
        ObjectNode item = item("incomplete");
        ctx.conversation().replace(item.deepCopy());
        List<ObjectNode> output = new ArrayList<>(doneItems);
        output.add(item);
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", response("cancelled", reason, output));
        ctx.out().send(done);
        ctx.responses().usageReported(usage);
    }

    /** Nothing more is sent: the socket is closing. */
    final void stop() {
        over = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private ObjectNode response(String status, String cancelReason, List<ObjectNode> output) {
        return DemoEvents.response(responseId, ctx.conversationId(), ctx.config().voice(),
                ctx.config().outputFormat(), status, cancelReason,
                output, status.equals("in_progress") ? null : usage);
    }

    /** An event of this reply's output carrying response_id, item_id, output_index and content_index (§4). */
    final ObjectNode outputEvent(String type) {
        return DemoEvents.ids(DemoEvents.event(type), responseId, itemId, outputIndex);
    }
}
