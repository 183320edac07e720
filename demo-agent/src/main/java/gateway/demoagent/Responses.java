package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * is spoken, unless the script has the model call a tool first, or after speaking (§5.4); a response.create with
 * instructions is answered with the tone. Each response.done reports the tokens used (the demo's own count), and
 * rate_limits.updated follows with the connection's limits going down. Remembers how much audio each assistant
 * item holds, for {@code conversation.item.truncate}.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class Responses {

    /** Assistant items remembered for truncate; a demo call has far fewer. */
    private static final int ITEMS_KEPT = 1000;
    /** rate_limits.updated follows response.done by about 40 ms (§4, observed). */
    private static final long RATE_LIMITS_DELAY_MS = 40;
    /** The demo's rate limits: made up, but they go down as a connection uses them. */
    static final long REQUESTS_LIMIT = 5_000;
    static final long TOKENS_LIMIT = 40_000;
    private static final double RESET_SECONDS = 60.0;
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
    /** Input audio committed since the last response started, whose tokens that response has not reported. */
    private long uncountedInputSamples;
    private long tokensUsed;
    private long responsesMade;
    private int turns;
    private Reply active;

    Responses(DemoScript script, SessionConfig config, Conversation conversation, DemoConnection view,
              EventSink out, ScheduledExecutorService loop) {
        this.ctx = new Reply.Context(script, config, conversation, out, loop, DemoEvents.id("conv"), this);
        this.view = view;
    }

    /**
     * The caller's turn {@code turns + 1} was committed; a reply to it speaks {@code utterance}. An error the script
     * has for this turn is sent now.
     */
    void turnCommitted(short[] utterance) {
        this.utterance = utterance;
        uncountedInputSamples += utterance.length;
        turns++;
        DemoScript.DemoError error = ctx.script().errorOn(turns);
        if (error != null) {
            ObjectNode e = DemoEvents.event("error");
            ObjectNode body = e.putObject("error");
            body.put("type", error.type());
            body.put("code", error.code());
            body.put("message", error.message());
            body.putNull("param");
            body.putNull("event_id");
            ctx.out().send(e);
        }
    }

    /** Server VAD ended a turn and creates responses: the reply starts unless one is active. */
    void afterTurn() {
        if (active == null) {
            start();
        }
    }

    /**
     * {@code response.create}: one response at a time (§3). With {@code instructions} (the per-response override)
     * the agent does as it is told, as far as a demo can: it speaks its tone, with the instructions' last paragraph
     * as the transcript.
     */
    void create(String instructions) throws InvalidEvent {
        if (active != null) {
            throw new InvalidEvent("conversation_already_has_active_response", null, "Conversation already has an"
                    + " active response in progress: " + active.responseId + ". Wait until the response is finished"
                    + " before creating a new one.");
        }
        view.responseRequested(instructions);
        if (instructions != null) {
            begin(SpokenReply.instructed(ctx, instructions), instructions);
        } else {
            start();
        }
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
        Reply reply;
        if (call != null && toolCallTurns.add(turns) && ctx.config().declaresTool(call.name())) {
            if (call.afterSpeech()) {
                reply = new SpokenReply(ctx, utterance);
                reply.then(new ToolCallReply(reply, call, view));
            } else {
                reply = new ToolCallReply(ctx, call, view);
            }
        } else {
            reply = new SpokenReply(ctx, utterance);
        }
        begin(reply, ctx.config().instructions());
    }

    /** Starts {@code reply} as the active response; its input is the instructions and the audio not yet counted. */
    private void begin(Reply reply, String instructions) {
        active = reply;
        responsesMade++;
        reply.usage().inputText = words(instructions);
        reply.usage().inputAudio = uncountedInputSamples / (SAMPLES_PER_MS * Reply.Usage.MS_PER_INPUT_AUDIO_TOKEN);
        uncountedInputSamples = 0;
        reply.start();
    }

    /** A response's first item is done and its next one streams: that one is what a cancel or barge-in stops. */
    void handOver(Reply from, Reply to) {
        if (active == from) {
            active = to;
        }
    }

    /** A reply sent its last event: the next may start; the rate limits follow (§4). */
    void finished(Reply reply) {
        if (active == reply) {
            active = null;
        }
        usageReported(reply.usage());
    }

    /** A response.done reported {@code usage}: it is counted against the rate limits, which follow (§4). */
    void usageReported(Reply.Usage usage) {
        long total = usage.inputText + usage.inputAudio + usage.outputText + usage.outputAudio;
        tokensUsed += total;
        view.usage(new DemoConnection.Usage(usage.inputText, usage.inputAudio, usage.outputText, usage.outputAudio));
        ctx.loop().schedule(this::rateLimits, RATE_LIMITS_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Tokens the demo counts for a text: one per word. */
    static long words(String text) {
        return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
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

    /** §4: the limits after this connection's responses: each response and each token it used count. */
    private void rateLimits() {
        ObjectNode e = DemoEvents.event("rate_limits.updated");
        ArrayNode limits = e.putArray("rate_limits");
        ObjectNode requests = limits.addObject();
        requests.put("name", "requests");
        requests.put("limit", REQUESTS_LIMIT);
        requests.put("remaining", Math.max(0, REQUESTS_LIMIT - responsesMade));
        requests.put("reset_seconds", RESET_SECONDS);
        ObjectNode tokens = limits.addObject();
        tokens.put("name", "tokens");
        tokens.put("limit", TOKENS_LIMIT);
        tokens.put("remaining", Math.max(0, TOKENS_LIMIT - tokensUsed));
        tokens.put("reset_seconds", RESET_SECONDS);
        ctx.out().send(e);
    }
}
