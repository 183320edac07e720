package gateway.demoagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds GA-shaped server events (docs/realtime-protocol.md §2, §4) and the ids they carry. */
final class DemoEvents {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong(0x5EED);
    private static final int ID_DIGITS = 20;

    private DemoEvents() {
    }

    /** A fresh id such as {@code item_00000000000000000abc}: prefix, then base-36 digits. */
    static String id(String prefix) {
        String digits = Long.toString(IDS.incrementAndGet(), 36);
        return prefix + "_" + "0".repeat(Math.max(0, ID_DIGITS - digits.length())) + digits;
    }

    /** A server event with its type and a new event_id. */
    static ObjectNode event(String type) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("type", type);
        e.put("event_id", id("event"));
        return e;
    }

    /** An {@code error} event; {@code clientEventId} is echoed in {@code error.event_id}. */
    static ObjectNode error(String code, String message, String param, String clientEventId) {
        ObjectNode e = event("error");
        ObjectNode error = e.putObject("error");
        error.put("type", "invalid_request_error");
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("event_id", clientEventId);
        return e;
    }

    /**
     * The {@code session} object of session.created, with the observed GA defaults (silence 500 ms as documented);
     * {@code expiresAt} in Unix seconds.
     */
    static ObjectNode defaultSession(String sessionId, String model, long expiresAt) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("type", "realtime");
        s.put("object", "realtime.session");
        s.put("id", sessionId);
        s.put("model", model);
        s.putArray("output_modalities").add("audio");
        s.put("instructions", "You are the demo agent: you repeat what the caller says.");
        s.putArray("tools");
        s.put("tool_choice", "auto");
        s.put("max_output_tokens", "inf");
        s.putNull("tracing");
        s.put("truncation", "auto");
        s.putNull("prompt");
        s.put("expires_at", expiresAt);
        ObjectNode audio = s.putObject("audio");
        ObjectNode input = audio.putObject("input");
        pcmFormat(input.putObject("format"));
        input.putNull("transcription");
        input.putNull("noise_reduction");
        ObjectNode vad = input.putObject("turn_detection");
        vad.put("type", "server_vad");
        vad.put("threshold", 0.5);
        vad.put("prefix_padding_ms", 300);
        vad.put("silence_duration_ms", 500);
        vad.putNull("idle_timeout_ms");
        vad.put("create_response", true);
        vad.put("interrupt_response", true);
        ObjectNode output = audio.putObject("output");
        pcmFormat(output.putObject("format"));
        output.put("voice", "alloy");
        output.put("speed", 1.0);
        s.putNull("include");
        return s;
    }

    private static void pcmFormat(ObjectNode format) {
        format(format, AudioCoding.PCM);
    }

    /** A format object as the service shows it: {@code audio/pcm} with its rate, G.711 with its type alone. */
    private static void format(ObjectNode format, String type) {
        format.put("type", type);
        if (type.equals(AudioCoding.PCM)) {
            format.put("rate", SessionCheck.PCM_RATE);
        }
    }

    /** A user audio message item as the service shows it after commit (transcript null until transcription). */
    static ObjectNode userItem(String itemId) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", itemId);
        item.put("type", "message");
        item.put("status", "completed");
        item.put("role", "user");
        ObjectNode part = item.putArray("content").addObject();
        part.put("type", "input_audio");
        part.putNull("transcript");
        return item;
    }

    /** An assistant message item; {@code transcript} null gives the empty content of output_item.added. */
    static ObjectNode assistantItem(String itemId, String status, String transcript) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", itemId);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (transcript != null) {
            ObjectNode part = content.addObject();
            part.put("type", "output_audio");
            part.put("transcript", transcript);
        }
        return item;
    }

    /**
     * The {@code response} object of response.created / response.done; {@code usage} null gives {@code usage: null}
     * (response.created), else its tokens in the GA shape (§4).
     */
    static ObjectNode response(String responseId, String conversationId, String voice, String format, String status,
                               String cancelReason, List<ObjectNode> outputItems, Reply.Usage usage) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("object", "realtime.response");
        r.put("id", responseId);
        r.put("status", status);
        if (cancelReason == null) {
            r.putNull("status_details");
        } else {
            ObjectNode details = r.putObject("status_details");
            details.put("type", "cancelled");
            details.put("reason", cancelReason);
        }
        ArrayNode output = r.putArray("output");
        outputItems.forEach(output::add);
        r.put("conversation_id", conversationId);
        r.putArray("output_modalities").add("audio");
        ObjectNode out = r.putObject("audio").putObject("output");
        format(out.putObject("format"), format);
        out.put("voice", voice);
        if (usage == null) {
            r.putNull("usage");
        } else {
            ObjectNode u = r.putObject("usage");
            u.put("total_tokens", usage.inputText + usage.inputAudio + usage.outputText + usage.outputAudio);
            u.put("input_tokens", usage.inputText + usage.inputAudio);
            u.put("output_tokens", usage.outputText + usage.outputAudio);
            ObjectNode in = u.putObject("input_token_details");
            in.put("text_tokens", usage.inputText);
            in.put("audio_tokens", usage.inputAudio);
            in.put("image_tokens", 0);
            in.put("cached_tokens", 0);
            ObjectNode cached = in.putObject("cached_tokens_details");
            cached.put("text_tokens", 0);
            cached.put("audio_tokens", 0);
            cached.put("image_tokens", 0);
            ObjectNode outDetails = u.putObject("output_token_details");
            outDetails.put("text_tokens", usage.outputText);
            outDetails.put("audio_tokens", usage.outputAudio);
        }
        r.putNull("metadata");
        return r;
    }

    /** conversation.item.added, then .done, for an item that is complete at once (§3, §4). */
    static void announceItem(EventSink out, String previousItemId, ObjectNode item) {
        for (String type : new String[] {"conversation.item.added", "conversation.item.done"}) {
            ObjectNode e = event(type);
            e.put("previous_item_id", previousItemId);
            e.set("item", item);
            out.send(e);
        }
    }

    /** Sets response_id, item_id, output_index and content_index 0 (the "IDS" of §4). */
    static ObjectNode ids(ObjectNode e, String responseId, String itemId, int outputIndex) {
        e.put("response_id", responseId);
        e.put("item_id", itemId);
        e.put("output_index", outputIndex);
        e.put("content_index", 0);
        return e;
    }
}
