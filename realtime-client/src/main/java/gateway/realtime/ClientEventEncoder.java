package gateway.realtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes each {@link ClientEvent} as its GA JSON (docs/realtime-protocol.md §2, §3) into a {@link ByteBuf} with
 * Jackson's streaming generator: the one place that knows the client event shapes. {@code input_audio_buffer.append}
 * is written by {@link RealtimeConnection#appendAudio} instead, straight into its frame.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class ClientEventEncoder {

    /** Characters outside the BMP go out as 4-byte UTF-8, not as escaped surrogate pairs (a lone one is escaped). */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    /** Only 24 kHz is accepted for {@code audio/pcm} (§2): the call timeline's rate. */
    static final int PCM_RATE = CallTimeline.SAMPLE_RATE;

    private ClientEventEncoder() {
    }

    /** Appends the event's JSON, UTF-8, at the writer index of {@code out}. */
    static void encode(ClientEvent event, ByteBuf out) {
        try (JsonGenerator g = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("type", event.type());
            if (event instanceof ClientEvent.SessionUpdate update) {
                writeSession(g, update.settings());
            } else if (event instanceof ClientEvent.ConversationItemCreate create) {
                writeItem(g, create.item());
            } else if (event instanceof ClientEvent.ItemTruncate truncate) {
                g.writeStringField("item_id", truncate.itemId());
                g.writeNumberField("content_index", truncate.contentIndex());
                g.writeNumberField("audio_end_ms", truncate.audioEndMs());
            } else if (event instanceof ClientEvent.ResponseCancel cancel && cancel.responseId() != null) {
                g.writeStringField("response_id", cancel.responseId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }

    /** §2: audio out only, PCM 24 kHz both ways, server VAD; instructions, transcription and voice when set. */
    private static void writeSession(JsonGenerator g, SessionSettings s) throws IOException {
        g.writeObjectFieldStart("session");
        g.writeStringField("type", "realtime");
        if (s.instructions() != null) {
            g.writeStringField("instructions", s.instructions());
        }
        g.writeArrayFieldStart("output_modalities");
        g.writeString("audio");
        g.writeEndArray();
        g.writeObjectFieldStart("audio");
        g.writeObjectFieldStart("input");
        writePcmFormat(g);
        if (s.transcriptionModel() != null && !s.transcriptionModel().isEmpty()) {
            g.writeObjectFieldStart("transcription");
            g.writeStringField("model", s.transcriptionModel());
            g.writeEndObject();
        }
        g.writeObjectFieldStart("turn_detection");
        g.writeStringField("type", "server_vad");
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("output");
        writePcmFormat(g);
        if (s.voice() != null && !s.voice().isEmpty()) {
            g.writeStringField("voice", s.voice());
        }
        g.writeEndObject();
        g.writeEndObject();
        if (!s.tools().isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (SessionSettings.Tool tool : s.tools()) {
                g.writeStartObject();
                g.writeStringField("type", "function");
                g.writeStringField("name", tool.name());
                g.writeStringField("description", tool.description());
                g.writeObjectFieldStart("parameters");
                g.writeStringField("type", "object");
                g.writeObjectFieldStart("properties");
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("tool_choice", "auto");
        }
        g.writeEndObject();
    }

    private static void writePcmFormat(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("format");
        g.writeStringField("type", "audio/pcm");
        g.writeNumberField("rate", PCM_RATE);
        g.writeEndObject();
    }

    /**
     * §3: a message item with one text part (assistant text is {@code output_text}, as in the GA
     * {@code RealtimeConversationItemAssistantMessage}; user and system text is {@code input_text}), or a function
     * call's output (§5.4).
     */
    private static void writeItem(JsonGenerator g, ClientEvent.ConversationItem item) throws IOException {
        g.writeObjectFieldStart("item");
        if (item instanceof ClientEvent.ConversationItem.FunctionCallOutput output) {
            g.writeStringField("type", "function_call_output");
            g.writeStringField("call_id", output.callId());
            g.writeStringField("output", output.output());
        } else if (item instanceof ClientEvent.ConversationItem.TextMessage message) {
            boolean assistant = message instanceof ClientEvent.ConversationItem.AssistantText;
            g.writeStringField("type", "message");
            g.writeStringField("role", role(message));
            g.writeArrayFieldStart("content");
            g.writeStartObject();
            g.writeStringField("type", assistant ? "output_text" : "input_text");
            g.writeStringField("text", message.text());
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static String role(ClientEvent.ConversationItem.TextMessage item) {
        if (item instanceof ClientEvent.ConversationItem.UserText) {
            return "user";
        }
        return item instanceof ClientEvent.ConversationItem.AssistantText ? "assistant" : "system";
    }
}
