package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The responses of one session (docs/realtime-protocol.md §3, §4): at most one active; started after a caller's
 * turn or by {@code response.create}; cancelled by barge-in (§5.2) or {@code response.cancel}. The reply to a turn
 * is spoken, unless the script has the model call a tool first (§5.4). Remembers how much audio each assistant
 * item holds, for {@code conversation.item.truncate}.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class Responses {

    /** Assistant items remembered for truncate; a demo call has far fewer. */
    private static final int ITEMS_KEPT = 1000;
    /** rate_limits.updated follows response.done by about 40 ms (§4, observed). */
    private static final long RATE_LIMITS_DELAY_MS = 40;
    private static final int SAMPLES_PER_MS = EnergyVad.SAMPLES_PER_MS;

    private final Reply.Context ctx;
    private final DemoConnection view;
    private final Map<String, Long> itemSamples = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > ITEMS_KEPT;
        }
    };
    /** The turns whose scripted tool call was made: each is made once. */
    private final Set<Integer> toolCallTurns = new HashSet<>();
    private short[] utterance = new short[0];
    private int turns;
    private Reply active;

    Responses(DemoScript script, SessionConfig config, Conversation conversation, DemoConnection view,
              EventSink out, ScheduledExecutorService loop) {
        this.ctx = new Reply.Context(script, config, conversation, out, loop, DemoEvents.id("conv"), this);
        this.view = view;
    }

    /** The caller's turn {@code turns + 1} was committed; a reply to it speaks {@code utterance}. */
    void turnCommitted(short[] utterance) {
        this.utterance = utterance;
        turns++;
    }

    /** Server VAD ended a turn and creates responses: the reply starts unless one is active. */
    void afterTurn() {
        if (active == null) {
            start();
        }
    }

    /** {@code response.create}: one response at a time (§3). */
    void create() throws InvalidEvent {
        if (active != null) {
            throw new InvalidEvent("conversation_already_has_active_response", null, "Conversation already has an"
                    + " active response in progress: " + active.responseId + ". Wait until the response is finished"
                    + " before creating a new one.");
        }
        start();
    }

    /** {@code response.cancel}. */
    void cancel() throws InvalidEvent {
        if (active == null) {
            throw new InvalidEvent("response_cancel_not_active", null, "Cancellation failed: no active response"
                    + " found");
        }
        Reply cancelled = active;
        active = null;
        cancelled.cancel("client_cancelled");
    }

    /** The caller started talking over the reply (§5.2). */
    void bargeIn() {
        if (active != null) {
            Reply cancelled = active;
            active = null;
            cancelled.cancel("turn_detected");
        }
    }

    /** The socket is closing: nothing more is sent. */
    void stop() {
        if (active != null) {
            active.stop();
            active = null;
        }
    }

    private void start() {
        DemoToolCall call = ctx.script().toolCallOn(turns);
        if (call != null && toolCallTurns.add(turns) && ctx.config().declaresTool(call.name())) {
            active = new ToolCallReply(ctx, call, view);
        } else {
            active = new SpokenReply(ctx, utterance);
        }
        active.start();
    }

    /** A reply sent its last event: the next may start; the rate limits follow (§4). */
    void finished(Reply reply) {
        if (active == reply) {
            active = null;
        }
        ctx.loop().schedule(this::rateLimits, RATE_LIMITS_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Assistant item {@code itemId} holds {@code samples} of audio so far. */
    void spoke(String itemId, long samples) {
        itemSamples.put(itemId, samples);
    }

    /** §3: truncate an assistant item to what the caller heard; beyond the item's audio is invalid_value. */
    void truncate(String itemId, int contentIndex, long audioEndMs) throws InvalidEvent {
        Long samples = active instanceof SpokenReply speaking && speaking.itemId.equals(itemId)
                ? Long.valueOf(speaking.audioLength()) : itemSamples.get(itemId);
        if (samples == null) {
            throw new InvalidEvent("invalid_value", "item_id", "Invalid value: item '" + itemId
                    + "' is not an assistant audio item in this conversation.");
        }
        long lengthMs = samples / SAMPLES_PER_MS;
        if (audioEndMs > lengthMs) {
            throw new InvalidEvent("invalid_value", "audio_end_ms", "Audio content of " + lengthMs
                    + "ms is shorter than " + audioEndMs + "ms");
        }
        ObjectNode truncated = DemoEvents.event("conversation.item.truncated");
        truncated.put("item_id", itemId);
        truncated.put("content_index", contentIndex);
        truncated.put("audio_end_ms", audioEndMs);
        ctx.out().send(truncated);
    }

    private void rateLimits() {
        ObjectNode e = DemoEvents.event("rate_limits.updated");
        ObjectNode limit = e.putArray("rate_limits").addObject();
        limit.put("name", "tokens");
        limit.put("limit", 40_000);
        limit.put("remaining", 40_000);
        limit.put("reset_seconds", 0.0);
        ctx.out().send(e);
    }
}
