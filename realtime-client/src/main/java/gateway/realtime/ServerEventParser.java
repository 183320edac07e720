package gateway.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns one server text frame into a listener call. Audio deltas, the bulk of the traffic, and transcript deltas
 * are read straight from the frame's bytes by a {@link DeltaReader}, the audio's Base64 decoded into a reused
 * sample array; the other events, and any delta that reader leaves, go through Jackson's tree model. Unknown types
 * and fields are ignored; a frame that is not JSON is logged, counted and dropped: one bad event never ends a
 * session.
 *
 * <p>Threading: one instance per connection, used only on that connection's event loop.
 */
final class ServerEventParser {

    private static final Logger LOG = System.getLogger(ServerEventParser.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LongAdder malformed;
    /**
     * The decoded audio of one delta, shared by every connection of a thread (event loop): it is handed to the
     * listener, which copies it before it returns, and the loop parses one frame at a time. One per connection
     * would hold the largest delta twice (Base64 octets and samples, about 10 KB a call) for the call's life.
     */
    private static final FastThreadLocal<Base64Pcm.Decoder> DECODER = new FastThreadLocal<>() {
        @Override
        protected Base64Pcm.Decoder initialValue() {
            return new Base64Pcm.Decoder();
        }
    };

    private final DeltaReader deltas = new DeltaReader();
    private final ByteBufStream stream = new ByteBufStream();
    /** The format of the audio deltas: the one the connection's last session.update asked for. */
    private AudioFormat format = AudioFormat.PCM24K;

    /** A parser that counts the frames it cannot read in {@code malformed}. */
    ServerEventParser(LongAdder malformed) {
        this.malformed = malformed;
    }

    /** Reads the audio deltas that follow as {@code audioFormat}. */
    void audioFormat(AudioFormat audioFormat) {
        format = audioFormat;
    }

    /** Parses the readable bytes of {@code frame} (the reader index is left where it was) and calls the listener. */
    void parse(ByteBuf frame, RealtimeListener listener) {
        int start = frame.readerIndex();
        try {
            if (deltas.read(frame, DECODER.get(), format.g711())) {
                if (deltas.transcript()) {
                    listener.onEvent(new ServerEvent.OutputAudioTranscriptDelta(deltas.responseId(), deltas.itemId(),
                            deltas.transcriptText()));
                } else {
                    deliverAudio(deltas.responseId(), deltas.itemId(), deltas.decoded(), listener);
                }
            } else {
                dispatchTree(MAPPER.readTree(stream.reset(frame)), listener);
            }
        } catch (IOException | RuntimeException e) {
            malformed.increment();
            LOG.log(Level.WARNING, "Ignoring a Realtime frame that is not a JSON event ({0} bytes): {1}",
                    frame.writerIndex() - start, e.getMessage());
        } finally {
            frame.readerIndex(start);
        }
    }

    private void deliverAudio(String responseId, String itemId, int samples, RealtimeListener listener) {
        Base64Pcm.Decoder decoder = DECODER.get();
        if (samples < 0) {
            LOG.log(Level.WARNING, "Ignoring an audio delta of response {0}: {1}", responseId,
                    samples == DeltaReader.NO_DELTA ? "no delta" : "delta is not Base64");
        } else if (format.g711()) {
            listener.onAudioCodes(responseId, itemId, decoder.octets(), 0, samples);
        } else {
            listener.onAudioDelta(responseId, itemId, decoder.samples(), 0, samples);
        }
    }

    private void dispatchTree(JsonNode event, RealtimeListener listener) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = text(event, "type");
        if (ServerEvent.OUTPUT_AUDIO_DELTA.equals(type)) {
            String delta = text(event, "delta");
            byte[] text = delta == null ? null : delta.getBytes(StandardCharsets.ISO_8859_1);
            int samples = text == null ? DeltaReader.NO_DELTA
                    : DECODER.get().decode(text, 0, text.length, format.g711());
            deliverAudio(text(event, "response_id"), text(event, "item_id"), samples, listener);
            return;
        }
        listener.onEvent(toEvent(type, event));
    }

    /** Maps a parsed non-audio event to its record. */
    static ServerEvent toEvent(String type, JsonNode e) {
        if (type == null) {
            return new ServerEvent.Unknown(null);
        }
        return switch (type) {
            case ServerEvent.SessionCreated.TYPE -> new ServerEvent.SessionCreated(text(e.path("session"), "id"),
                    time(e.path("session"), "expires_at"));
            case ServerEvent.SessionUpdated.TYPE -> new ServerEvent.SessionUpdated(text(e.path("session"), "id"),
                    time(e.path("session"), "expires_at"));
            case ServerEvent.OutputAudioTranscriptDelta.TYPE -> new ServerEvent.OutputAudioTranscriptDelta(
                    text(e, "response_id"), text(e, "item_id"), text(e, "delta"));
            case ServerEvent.SpeechStarted.TYPE ->
                    new ServerEvent.SpeechStarted(time(e, "audio_start_ms"), text(e, "item_id"));
            case ServerEvent.SpeechStopped.TYPE ->
                    new ServerEvent.SpeechStopped(time(e, "audio_end_ms"), text(e, "item_id"));
            case ServerEvent.InputAudioCommitted.TYPE ->
                    new ServerEvent.InputAudioCommitted(text(e, "item_id"), text(e, "previous_item_id"));
            case ServerEvent.ResponseCreated.TYPE ->
                    new ServerEvent.ResponseCreated(text(e.path("response"), "id"));
            case ServerEvent.OutputItemAdded.TYPE -> new ServerEvent.OutputItemAdded(text(e, "response_id"),
                    text(e.path("item"), "id"), text(e.path("item"), "type"));
            case ServerEvent.OutputAudioDone.TYPE ->
                    new ServerEvent.OutputAudioDone(text(e, "response_id"), text(e, "item_id"));
            case ServerEvent.OutputAudioTranscriptDone.TYPE -> new ServerEvent.OutputAudioTranscriptDone(
                    text(e, "response_id"), text(e, "item_id"), text(e, "transcript"));
            case ServerEvent.InputTranscriptionCompleted.TYPE ->
                    new ServerEvent.InputTranscriptionCompleted(text(e, "item_id"), text(e, "transcript"));
            case ServerEvent.InputTranscriptionFailed.TYPE ->
                    new ServerEvent.InputTranscriptionFailed(text(e, "item_id"), text(e.path("error"), "message"));
            case ServerEvent.FunctionCallArgumentsDone.TYPE -> new ServerEvent.FunctionCallArgumentsDone(
                    text(e, "response_id"), text(e, "item_id"), text(e, "call_id"), text(e, "name"),
                    text(e, "arguments"));
            case ServerEvent.ResponseDone.TYPE -> responseDone(e.path("response"));
            case ServerEvent.RateLimitsUpdated.TYPE -> rateLimits(e.path("rate_limits"));
            case ServerEvent.OutputItemDone.TYPE -> outputItemDone(text(e, "response_id"), e.path("item"));
            case ServerEvent.ItemTruncated.TYPE ->
                    new ServerEvent.ItemTruncated(text(e, "item_id"), time(e, "audio_end_ms"));
            case ServerEvent.ErrorEvent.TYPE -> new ServerEvent.ErrorEvent(text(e.path("error"), "type"),
                    text(e.path("error"), "code"), text(e.path("error"), "message"), text(e.path("error"), "param"),
                    text(e.path("error"), "event_id"));
            default -> new ServerEvent.Unknown(type);
        };
    }

    /** §4: the status, its details (the cancel reason, a failure's error) and the tokens used. */
    private static ServerEvent.ResponseDone responseDone(JsonNode response) {
        JsonNode details = response.path("status_details");
        JsonNode usage = response.path("usage");
        ServerEvent.Usage tokens = null;
        if (usage.isObject()) {
            JsonNode in = usage.path("input_token_details");
            JsonNode out = usage.path("output_token_details");
            tokens = new ServerEvent.Usage(count(in, "text_tokens"), count(in, "audio_tokens"),
                    count(in, "cached_tokens"), count(out, "text_tokens"), count(out, "audio_tokens"));
        }
        return new ServerEvent.ResponseDone(text(response, "id"), text(response, "status"),
                text(details, "reason"), text(details.path("error"), "type"), text(details.path("error"), "code"),
                tokens);
    }

    private static ServerEvent.RateLimitsUpdated rateLimits(JsonNode array) {
        List<ServerEvent.RateLimit> limits = new ArrayList<>();
        for (JsonNode limit : array) {
            limits.add(new ServerEvent.RateLimit(text(limit, "name"), count(limit, "limit"),
                    count(limit, "remaining"), limit.path("reset_seconds").asDouble(0)));
        }
        return new ServerEvent.RateLimitsUpdated(limits);
    }

    /** An item that is done, with the fields of the MCP items the gateway acts on. */
    private static ServerEvent outputItemDone(String responseId, JsonNode item) {
        return new ServerEvent.OutputItemDone(responseId, text(item, "id"), text(item, "type"),
                text(item, "server_label"), text(item, "name"), text(item, "arguments"), text(item, "output"),
                errorText(item.get("error")));
    }

    /** An MCP call's error: its message when it has one, else its JSON, or null when there is none. */
    private static String errorText(JsonNode error) {
        if (error == null || error.isNull() || error.isMissingNode()) {
            return null;
        }
        String message = text(error, "message");
        return message != null ? message : error.isTextual() ? error.asText() : error.toString();
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asLong() : 0;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static long time(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asLong() : ServerEvent.NO_TIME;
    }
}
