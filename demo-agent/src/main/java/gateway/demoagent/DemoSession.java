package gateway.demoagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Realtime session of the demo agent: speaks the GA server side of docs/realtime-protocol.md over one
 * WebSocket — session.created/updated, energy VAD turns with input-audio-clock times (§5.1), a scripted spoken
 * reply paced faster than real time, barge-in (§5.2), late input transcripts (§5.3), truncate and cancel, text
 * items for context (§3), session expiry (§5.5) and the connection's scripted fault ({@link DemoFault}). It
 * reports what it sees to its {@link DemoConnection}.
 *
 * <p>Threading: everything runs on the channel's event loop, timers included.
 */
final class DemoSession extends ChannelInboundHandlerAdapter implements EnergyVad.Events {

    private static final Logger LOG = System.getLogger(DemoSession.class.getName());
    private static final int SAMPLES_PER_MS = EnergyVad.SAMPLES_PER_MS;
    private static final int SAMPLE_RATE = 24_000;
    /** input_audio_buffer.commit needs at least 100 ms (§3). */
    private static final long MIN_COMMIT_SAMPLES = 100 * SAMPLES_PER_MS;
    /** rate_limits.updated follows response.done by about 40 ms (§4, observed). */
    private static final long RATE_LIMITS_DELAY_MS = 40;
    /** Assistant items remembered for truncate; a demo call has far fewer. */
    private static final int ITEMS_KEPT = 1000;
    /** What the service sends when the key is wrong (§1). */
    private static final int CLOSE_INVALID_KEY = 3000;
    /** RFC 6455 §7.4.1: going away, what the service closes an expired session with (§5.5). */
    private static final int CLOSE_GOING_AWAY = 1001;
    /** The service's words at expiry (§5.5), also the close reason; fixed whatever the scripted session length. */
    static final String SESSION_EXPIRED_MESSAGE = "Your session hit the maximum duration of 60 minutes.";
    /** After its close frame the agent waits this long for the client's (RFC 6455 §7.1.1), then drops the TCP. */
    static final long CLOSE_WAIT_MS = 1000;
    private static final long MS_PER_SECOND = 1000;
    private static final double TONE_HZ = 440;
    private static final double TONE_DBFS = -10;
    private static final List<String> CLIENT_TYPES = List.of("session.update", "input_audio_buffer.append",
            "input_audio_buffer.commit", "input_audio_buffer.clear", "conversation.item.create",
            "conversation.item.truncate", "response.create", "response.cancel");

    private final DemoAgent agent;
    private final DemoScript script;
    private final DemoConnection view;
    private final Conversation conversation = new Conversation();
    private final InputAudio input = new InputAudio();
    private final EnergyVad vad = new EnergyVad();
    private final String conversationId = DemoEvents.id("conv");
    private final Map<String, Long> assistantItemSamples = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > ITEMS_KEPT;
        }
    };
    private Channel channel;
    private ObjectNode session;
    private String speechItemId;
    private long speechOnset;
    private long uncommittedFrom;
    private short[] lastUtterance = new short[0];
    private Reply reply;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> expiry;
    private ScheduledFuture<?> fault;
    private ScheduledFuture<?> closeWait;
    private boolean closing;
    private long pingsSent;

    /** The response being spoken. */
    private static final class Reply {
        final String responseId = DemoEvents.id("resp");
        final String itemId = DemoEvents.id("item");
        final short[] audio;
        final String[] words;
        final String transcript;
        int sent;
        int wordsSent;
        ScheduledFuture<?> timer;

        Reply(short[] audio, String transcript) {
            this.audio = audio;
            this.transcript = transcript;
            this.words = transcript.split(" ");
        }

        String transcriptSoFar() {
            return String.join(" ", java.util.Arrays.copyOf(words, wordsSent));
        }
    }

    DemoSession(DemoAgent agent, DemoScript script, DemoConnection view) {
        this.agent = agent;
        this.script = script;
        this.view = view;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete handshake) {
            opened(ctx.channel(), handshake);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void opened(Channel ch, HandshakeComplete handshake) {
        channel = ch;
        agent.connectionOpened();
        String key = script.requiredApiKey();
        if (key != null && !("Bearer " + key).equals(handshake.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
            send(DemoEvents.error("invalid_api_key", "Incorrect API key provided. You can find your API key at"
                    + " https://platform.openai.com/account/api-keys.", null, null));
            sendClose(CLOSE_INVALID_KEY, "invalid_request_error.invalid_api_key");
            return;
        }
        DemoFault scripted = script.faultOf(view.number());
        long lifetimeMs = scripted instanceof DemoFault.Expire expire ? expire.afterMs()
                : script.sessionSeconds() * MS_PER_SECOND;
        List<String> model = new QueryStringDecoder(handshake.requestUri()).parameters().get("model");
        String sessionId = DemoEvents.id("sess");
        session = DemoEvents.defaultSession(sessionId, model == null ? "gpt-realtime" : model.get(0),
                secondsRoundedUp(System.currentTimeMillis() + lifetimeMs));
        view.opened(sessionId);
        ObjectNode created = DemoEvents.event("session.created");
        created.set("session", session);
        send(created);
        if (script.pingIntervalMs() > 0) {
            pinger = ch.eventLoop().scheduleAtFixedRate(this::ping, script.pingIntervalMs(), script.pingIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        expiry = ch.eventLoop().schedule(this::expire, lifetimeMs, TimeUnit.MILLISECONDS);
        if (scripted instanceof DemoFault.Close close) {
            fault = ch.eventLoop().schedule(() -> sendClose(close.code(), "scripted close after " + close.afterMs()
                    + " ms"), close.afterMs(), TimeUnit.MILLISECONDS);
        } else if (scripted instanceof DemoFault.Drop drop) {
            fault = ch.eventLoop().schedule(() -> drop(drop.afterMs()), drop.afterMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code session.expires_at}: the expiry instant rounded up, so the session never outlives what it announced. */
    private static long secondsRoundedUp(long epochMs) {
        return -Math.floorDiv(-epochMs, MS_PER_SECOND);
    }

    /** §5.5: the session is at its maximum age. */
    private void expire() {
        send(DemoEvents.error("session_expired", SESSION_EXPIRED_MESSAGE, null, null));
        sendClose(CLOSE_GOING_AWAY, SESSION_EXPIRED_MESSAGE);
    }

    /** Starts the closing handshake (RFC 6455 §7.1.2): nothing more is sent; the TCP goes when the client answers. */
    private void sendClose(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        view.ending(DemoConnection.How.CLOSE_SENT, code, reason);
        stopTimers();
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        closeWait = channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** The scripted drop: the TCP connection closes with no close frame. */
    private void drop(long afterMs) {
        if (closing) {
            return;
        }
        closing = true;
        view.ending(DemoConnection.How.DROPPED, -1, "dropped after " + afterMs + " ms");
        stopTimers();
        channel.close();
    }

    /** A close frame from the client: the answer to ours, or its own close, which is echoed (RFC 6455 §5.5.1). */
    private void clientClosed(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        if (closing) {
            ctx.close();
            return;
        }
        closing = true;
        int code = frame.statusCode();
        view.ending(DemoConnection.How.CLOSE_RECEIVED, code, frame.reasonText());
        stopTimers();
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    private void stopTimers() {
        cancel(pinger);
        cancel(expiry);
        cancel(fault);
        if (reply != null) {
            cancel(reply.timer);
            reply = null;
        }
    }

    private void ping() {
        if (closing) {
            return;
        }
        pingsSent++;
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(pingsSent)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                onText(text.text());
            } else if (msg instanceof BinaryWebSocketFrame) {
                record("(binary)", null);
                send(DemoEvents.error("invalid_event", "Binary frames are not supported; send JSON text.",
                        null, null));
            } else if (msg instanceof CloseWebSocketFrame close) {
                clientClosed(ctx, close);
            } else if (msg instanceof PongWebSocketFrame pong) {
                ByteBuf payload = pong.content();
                if (payload.readableBytes() == Long.BYTES && payload.getLong(payload.readerIndex()) == pingsSent) {
                    agent.pongReceived();
                }
            } else if (msg instanceof FullHttpRequest request) {
                DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(request.protocolVersion(),
                        HttpResponseStatus.NOT_FOUND);
                notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopTimers();
        cancel(closeWait);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "demo agent connection failed: {0}", cause.toString());
        ctx.close();
    }

    private void onText(String text) {
        JsonNode event;
        try {
            event = DemoEvents.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            record("(invalid json)", text);
            send(DemoEvents.error("invalid_json", "The server could not parse the event as JSON.", null, null));
            return;
        }
        String type = textOrNull(event.get("type"));
        String eventId = textOrNull(event.get("event_id"));
        record(type == null ? "(no type)" : type, text);
        if (session == null || closing) {
            return;
        }
        switch (type == null ? "" : type) {
            case "session.update" -> sessionUpdate(event, eventId);
            case "input_audio_buffer.append" -> append(event, eventId);
            case "input_audio_buffer.commit" -> manualCommit(eventId);
            case "input_audio_buffer.clear" -> {
                uncommittedFrom = input.totalSamples();
                send(DemoEvents.event("input_audio_buffer.cleared"));
            }
            case "conversation.item.create" -> createItem(event, eventId);
            case "conversation.item.truncate" -> truncate(event, eventId);
            case "response.create" -> responseCreate(eventId);
            case "response.cancel" -> responseCancel(eventId);
            default -> send(DemoEvents.error("invalid_value", "Invalid value: '" + type
                    + "'. Supported values are: '" + String.join("', '", CLIENT_TYPES) + "'.", "type", eventId));
        }
    }

    private void record(String type, String frameText) {
        agent.received(type, frameText);
        view.received(type, frameText);
    }

    private void sessionUpdate(JsonNode event, String eventId) {
        JsonNode update = event.get("session");
        if (update == null || !update.isObject()) {
            send(DemoEvents.error("missing_required_parameter", "Missing required parameter: 'session'.",
                    "session", eventId));
            return;
        }
        merge(session, (ObjectNode) update);
        ObjectNode updated = DemoEvents.event("session.updated");
        updated.set("session", session);
        send(updated);
    }

    /** Partial update (§2): objects merge field by field, anything else (null included) replaces. */
    private static void merge(ObjectNode target, ObjectNode update) {
        update.properties().forEach(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode into && field.getValue() instanceof ObjectNode from) {
                merge(into, from);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        });
    }

    private void append(JsonNode event, String eventId) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(event.path("audio").asText(""));
        } catch (IllegalArgumentException e) {
            send(DemoEvents.error("invalid_value", "Invalid 'audio'. Expected base64-encoded audio.", "audio",
                    eventId));
            return;
        }
        short[] pcm = new short[bytes.length / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (bytes[2 * i] & 0xFF | bytes[2 * i + 1] << 8);
        }
        input.append(pcm, 0, pcm.length);
        view.appended(pcm.length);
        vad.feed(pcm, 0, pcm.length, turnDetection().path("silence_duration_ms").asLong(500) * SAMPLES_PER_MS,
                this);
    }

    private JsonNode turnDetection() {
        return session.path("audio").path("input").path("turn_detection");
    }

    private boolean vadOn() {
        return "server_vad".equals(turnDetection().path("type").asText());
    }

    @Override
    public void speechStarted(long onsetSample) {
        if (!vadOn()) {
            return;
        }
        speechItemId = DemoEvents.id("item");
        speechOnset = onsetSample;
        long padding = turnDetection().path("prefix_padding_ms").asLong(300);
        ObjectNode started = DemoEvents.event("input_audio_buffer.speech_started");
        started.put("audio_start_ms", Math.max(0, onsetSample / SAMPLES_PER_MS - padding));
        started.put("item_id", speechItemId);
        send(started);
        if (reply != null && turnDetection().path("interrupt_response").asBoolean(true)) {
            cancelReply("turn_detected");
        }
    }

    @Override
    public void speechStopped(long lastLoudEndSample, long stopSample) {
        if (!vadOn() || speechItemId == null) {
            return;
        }
        ObjectNode stopped = DemoEvents.event("input_audio_buffer.speech_stopped");
        stopped.put("audio_end_ms", stopSample / SAMPLES_PER_MS);
        stopped.put("item_id", speechItemId);
        send(stopped);
        lastUtterance = input.copy(speechOnset, lastLoudEndSample);
        commit(speechItemId, stopSample, lastUtterance.length);
        speechItemId = null;
        if (turnDetection().path("create_response").asBoolean(true) && reply == null) {
            startReply();
        }
    }

    private void manualCommit(String eventId) {
        long pending = input.totalSamples() - uncommittedFrom;
        if (pending < MIN_COMMIT_SAMPLES) {
            send(DemoEvents.error("input_audio_buffer_commit_empty", String.format(Locale.ROOT,
                    "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but"
                            + " buffer only has %.2fms of audio.", pending / (double) SAMPLES_PER_MS), null, eventId));
            return;
        }
        lastUtterance = input.copy(uncommittedFrom, input.totalSamples());
        commit(DemoEvents.id("item"), input.totalSamples(), pending);
    }

    /** §4: committed, then the user item added and done; the transcript follows later if transcription is on. */
    private void commit(String itemId, long uptoSample, long utteranceSamples) {
        String previous = conversation.lastId();
        ObjectNode committed = DemoEvents.event("input_audio_buffer.committed");
        committed.put("previous_item_id", previous);
        committed.put("item_id", itemId);
        send(committed);
        conversation.append(DemoEvents.userItem(itemId));
        publishConversation();
        announceItem(previous, DemoEvents.userItem(itemId));
        uncommittedFrom = uptoSample;
        JsonNode transcription = session.path("audio").path("input").path("transcription");
        if (transcription.isObject()) {
            double seconds = utteranceSamples / (double) SAMPLE_RATE;
            channel.eventLoop().schedule(() -> {
                ObjectNode done = DemoEvents.event("conversation.item.input_audio_transcription.completed");
                done.put("item_id", itemId);
                done.put("content_index", 0);
                done.put("transcript", String.format(Locale.ROOT, "caller speech %.2f s", seconds));
                ObjectNode usage = done.putObject("usage");
                usage.put("type", "duration");
                usage.put("seconds", seconds);
                send(done);
                conversation.transcribed(itemId, done.get("transcript").asText());
                publishConversation();
            }, script.transcriptDelayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void responseCreate(String eventId) {
        if (reply != null) {
            send(DemoEvents.error("conversation_already_has_active_response", "Conversation already has an active"
                    + " response in progress: " + reply.responseId + ". Wait until the response is finished before"
                    + " creating a new one.", null, eventId));
            return;
        }
        startReply();
    }

    private void responseCancel(String eventId) {
        if (reply == null) {
            send(DemoEvents.error("response_cancel_not_active", "Cancellation failed: no active response found",
                    null, eventId));
            return;
        }
        cancelReply("client_cancelled");
    }

    private void startReply() {
        double seconds = lastUtterance.length / (double) SAMPLE_RATE;
        reply = script.replyMode() == DemoScript.ReplyMode.ECHO
                ? new Reply(lastUtterance, String.format(Locale.ROOT, "You said something for %.2f seconds.", seconds))
                : new Reply(tone(script.toneMs()), String.format(Locale.ROOT, "This is a %.2f second test tone.",
                        script.toneMs() / 1000.0));
        Reply r = reply;
        ObjectNode created = DemoEvents.event("response.created");
        created.set("response", DemoEvents.response(r.responseId, conversationId, voice(), "in_progress", null,
                null));
        send(created);
        ObjectNode added = DemoEvents.event("response.output_item.added");
        added.put("response_id", r.responseId);
        added.put("output_index", 0);
        added.set("item", DemoEvents.assistantItem(r.itemId, "in_progress", null));
        send(added);
        ObjectNode itemAdded = DemoEvents.event("conversation.item.added");
        itemAdded.put("previous_item_id", conversation.append(DemoEvents.assistantItem(r.itemId, "in_progress",
                null)));
        itemAdded.set("item", DemoEvents.assistantItem(r.itemId, "in_progress", null));
        send(itemAdded);
        publishConversation();
        ObjectNode part = DemoEvents.ids(DemoEvents.event("response.content_part.added"), r.responseId, r.itemId);
        ObjectNode p = part.putObject("part");
        p.put("type", "audio");
        p.put("transcript", "");
        send(part);
        r.timer = channel.eventLoop().schedule(() -> nextDelta(r), script.replyDelayMs(), TimeUnit.MILLISECONDS);
    }

    private String voice() {
        return session.path("audio").path("output").path("voice").asText("alloy");
    }

    private void nextDelta(Reply r) {
        if (reply != r || !channel.isActive()) {
            return;
        }
        int n = (int) Math.min(script.deltaMs() * SAMPLES_PER_MS, r.audio.length - r.sent);
        if (n > 0) {
            if (r.wordsSent < r.words.length) {
                sendTranscriptDelta(r, (r.wordsSent == 0 ? "" : " ") + r.words[r.wordsSent]);
                r.wordsSent++;
            }
            byte[] bytes = new byte[n * 2];
            for (int i = 0; i < n; i++) {
                short s = r.audio[r.sent + i];
                bytes[2 * i] = (byte) s;
                bytes[2 * i + 1] = (byte) (s >> 8);
            }
            ObjectNode delta = DemoEvents.ids(DemoEvents.event("response.output_audio.delta"), r.responseId,
                    r.itemId);
            delta.put("delta", Base64.getEncoder().encodeToString(bytes));
            send(delta);
            r.sent += n;
            assistantItemSamples.put(r.itemId, (long) r.sent);
        }
        if (r.sent < r.audio.length) {
            r.timer = channel.eventLoop().schedule(() -> nextDelta(r), script.deltaIntervalMs(),
                    TimeUnit.MILLISECONDS);
        } else {
            finishReply(r);
        }
    }

    private void sendTranscriptDelta(Reply r, String text) {
        ObjectNode delta = DemoEvents.ids(DemoEvents.event("response.output_audio_transcript.delta"),
                r.responseId, r.itemId);
        delta.put("delta", text);
        send(delta);
    }

    private void finishReply(Reply r) {
        if (r.wordsSent < r.words.length) {
            StringBuilder rest = new StringBuilder();
            for (int i = r.wordsSent; i < r.words.length; i++) {
                rest.append(i == 0 ? "" : " ").append(r.words[i]);
            }
            sendTranscriptDelta(r, rest.toString());
            r.wordsSent = r.words.length;
        }
        assistantItemSamples.put(r.itemId, (long) r.audio.length);
        send(DemoEvents.ids(DemoEvents.event("response.output_audio.done"), r.responseId, r.itemId));
        ObjectNode transcriptDone = DemoEvents.ids(DemoEvents.event("response.output_audio_transcript.done"),
                r.responseId, r.itemId);
        transcriptDone.put("transcript", r.transcript);
        send(transcriptDone);
        ObjectNode partDone = DemoEvents.ids(DemoEvents.event("response.content_part.done"), r.responseId,
                r.itemId);
        ObjectNode part = partDone.putObject("part");
        part.put("type", "audio");
        part.put("transcript", r.transcript);
        send(partDone);
        ObjectNode item = DemoEvents.assistantItem(r.itemId, "completed", r.transcript);
        conversation.replace(item.deepCopy());
        publishConversation();
        ObjectNode itemDone = DemoEvents.event("conversation.item.done");
        itemDone.set("item", item);
        send(itemDone);
        ObjectNode outputDone = DemoEvents.event("response.output_item.done");
        outputDone.put("response_id", r.responseId);
        outputDone.put("output_index", 0);
        outputDone.set("item", item);
        send(outputDone);
        reply = null;
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", DemoEvents.response(r.responseId, conversationId, voice(), "completed", null, item));
        send(done);
        channel.eventLoop().schedule(this::rateLimits, RATE_LIMITS_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void rateLimits() {
        ObjectNode e = DemoEvents.event("rate_limits.updated");
        ObjectNode limit = e.putArray("rate_limits").addObject();
        limit.put("name", "tokens");
        limit.put("limit", 40_000);
        limit.put("remaining", 40_000);
        limit.put("reset_seconds", 0.0);
        send(e);
    }

    /** §5.2: the response ends with response.done cancelled; no more deltas are sent. */
    private void cancelReply(String reason) {
        Reply r = reply;
        reply = null;
        cancel(r.timer);
        assistantItemSamples.put(r.itemId, (long) r.sent);
        ObjectNode item = DemoEvents.assistantItem(r.itemId, "incomplete", r.transcriptSoFar());
        conversation.replace(item.deepCopy());
        publishConversation();
        ObjectNode done = DemoEvents.event("response.done");
        done.set("response", DemoEvents.response(r.responseId, conversationId, voice(), "cancelled", reason, item));
        send(done);
    }

    /**
     * §3: a text item from the client goes into the conversation (after {@code previous_item_id}: absent or null is
     * the end, {@code root} the start) and is announced with conversation.item.added and .done.
     */
    private void createItem(JsonNode event, String eventId) {
        ObjectNode item;
        String after = textOrNull(event.get("previous_item_id"));
        try {
            item = TextItems.read(event.get("item"), conversation);
            if (after != null && !Conversation.ROOT.equals(after) && !conversation.contains(after)) {
                throw new InvalidEvent("invalid_value", "previous_item_id", "Invalid value: previous_item_id '"
                        + after + "' is not an item of this conversation.");
            }
        } catch (InvalidEvent e) {
            send(DemoEvents.error(e.code(), e.getMessage(), e.param(), eventId));
            return;
        }
        String previous = conversation.insert(item.deepCopy(), after);
        publishConversation();
        announceItem(previous, item);
    }

    /** conversation.item.added, then .done, for an item that is complete at once (§3, §4). */
    private void announceItem(String previousItemId, ObjectNode item) {
        for (String type : new String[] {"conversation.item.added", "conversation.item.done"}) {
            ObjectNode e = DemoEvents.event(type);
            e.put("previous_item_id", previousItemId);
            e.set("item", item);
            send(e);
        }
    }

    private void publishConversation() {
        view.conversation(conversation.snapshot());
    }

    /** §3: truncate an assistant item to what the caller heard; beyond the item's audio is invalid_value. */
    private void truncate(JsonNode event, String eventId) {
        String itemId = textOrNull(event.get("item_id"));
        long audioEndMs = event.path("audio_end_ms").asLong(-1);
        Long samples = reply != null && reply.itemId.equals(itemId)
                ? Long.valueOf(reply.audio.length) : assistantItemSamples.get(itemId);
        if (samples == null) {
            send(DemoEvents.error("invalid_value", "Invalid value: item '" + itemId
                    + "' is not an assistant audio item in this conversation.", "item_id", eventId));
            return;
        }
        long lengthMs = samples / SAMPLES_PER_MS;
        if (audioEndMs < 0 || audioEndMs > lengthMs) {
            send(DemoEvents.error("invalid_value", "Audio content of " + lengthMs + "ms is shorter than "
                    + audioEndMs + "ms", "audio_end_ms", eventId));
            return;
        }
        ObjectNode truncated = DemoEvents.event("conversation.item.truncated");
        truncated.put("item_id", itemId);
        truncated.put("content_index", event.path("content_index").asInt(0));
        truncated.put("audio_end_ms", audioEndMs);
        send(truncated);
    }

    /** A 440 Hz sine at -10 dBFS, the TONE reply. */
    static short[] tone(long ms) {
        short[] pcm = new short[(int) (ms * SAMPLES_PER_MS)];
        double amplitude = 32767 * Math.pow(10, TONE_DBFS / 20);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * TONE_HZ * i / SAMPLE_RATE));
        }
        return pcm;
    }

    private void send(ObjectNode event) {
        if (closing || !channel.isActive()) {
            return;
        }
        try {
            channel.writeAndFlush(new TextWebSocketFrame(DemoEvents.MAPPER.writeValueAsString(event)));
        } catch (JsonProcessingException e) {
            LOG.log(Level.ERROR, "demo agent cannot encode an event", e);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
