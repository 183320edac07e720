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
            switch (event) {
                case ClientEvent.SessionUpdate update -> writeSession(g, update.settings());
                case ClientEvent.InstructionsUpdate update -> {
                    g.writeObjectFieldStart("session");
                    g.writeStringField("type", "realtime");
                    g.writeStringField("instructions", update.instructions());
                    g.writeEndObject();
                }
                case ClientEvent.ConversationItemCreate create -> writeItem(g, create.item());
                case ClientEvent.ItemTruncate truncate -> {
                    g.writeStringField("item_id", truncate.itemId());
                    g.writeNumberField("content_index", truncate.contentIndex());
                    g.writeNumberField("audio_end_ms", truncate.audioEndMs());
                }
                case ClientEvent.ResponseCancel cancel -> {
                    if (cancel.responseId() != null) {
                        g.writeStringField("response_id", cancel.responseId());
                    }
                }
                case ClientEvent.ResponseCreate create -> writeResponseCreate(g, create);
                case ClientEvent.InputAudioCommit commit -> {
                }
                case ClientEvent.InputAudioClear clear -> {
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }

    /** §3: the event id when there is one, and the per-response instructions when there are. */
    private static void writeResponseCreate(JsonGenerator g, ClientEvent.ResponseCreate create) throws IOException {
        if (create.eventId() != null) {
            g.writeStringField("event_id", create.eventId());
        }
        if (create.instructions() != null) {
            g.writeObjectFieldStart("response");
            g.writeStringField("instructions", create.instructions());
            g.writeEndObject();
        }
    }

    /**
     * §2: audio out only, the audio format both ways, the caller's transcription, turn detection and noise
     * reduction, the voice, the longest reply and the tools; a setting left unset is left out (the service's
     * default).
     */
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
        writeFormat(g, s.audioFormat());
        if (s.transcription() != null) {
            writeTranscription(g, s.transcription());
        }
        if (s.noiseReduction() != null) {
            g.writeObjectFieldStart("noise_reduction");
            g.writeStringField("type", s.noiseReduction().wireName());
            g.writeEndObject();
        }
        writeTurnDetection(g, s.turnDetection());
        g.writeEndObject();
        g.writeObjectFieldStart("output");
        writeFormat(g, s.audioFormat());
        if (s.voice() != null && !s.voice().isEmpty()) {
            g.writeStringField("voice", s.voice());
        }
        g.writeEndObject();
        g.writeEndObject();
        if (s.maxOutputTokens() != null) {
            g.writeNumberField("max_output_tokens", s.maxOutputTokens());
        }
        if (!s.tools().isEmpty() || !s.mcpServers().isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (SessionSettings.Tool tool : s.tools()) {
                g.writeStartObject();
                g.writeStringField("type", "function");
                g.writeStringField("name", tool.name());
                g.writeStringField("description", tool.description());
                g.writeFieldName("parameters");
                g.writeRawValue(tool.parameters());
                g.writeEndObject();
            }
            for (SessionSettings.McpServer server : s.mcpServers()) {
                writeMcpServer(g, server);
            }
            g.writeEndArray();
            g.writeStringField("tool_choice", "auto");
        }
        g.writeEndObject();
    }

    private static void writeTranscription(JsonGenerator g, SessionSettings.Transcription t) throws IOException {
        g.writeObjectFieldStart("transcription");
        g.writeStringField("model", t.model());
        if (t.language() != null) {
            g.writeStringField("language", t.language());
        }
        if (t.prompt() != null) {
            g.writeStringField("prompt", t.prompt());
        }
        g.writeEndObject();
    }

    private static void writeTurnDetection(JsonGenerator g, SessionSettings.TurnDetection vad) throws IOException {
        g.writeObjectFieldStart("turn_detection");
        switch (vad) {
            case SessionSettings.TurnDetection.ServerVad server -> {
                g.writeStringField("type", "server_vad");
                if (server.threshold() != null) {
                    g.writeNumberField("threshold", server.threshold());
                }
                if (server.prefixPaddingMs() != null) {
                    g.writeNumberField("prefix_padding_ms", server.prefixPaddingMs());
                }
                if (server.silenceDurationMs() != null) {
                    g.writeNumberField("silence_duration_ms", server.silenceDurationMs());
                }
            }
            case SessionSettings.TurnDetection.SemanticVad semantic -> {
                g.writeStringField("type", "semantic_vad");
                if (semantic.eagerness() != null) {
                    g.writeStringField("eagerness", semantic.eagerness());
                }
            }
        }
        g.writeEndObject();
    }

    /** A remote MCP server as a {@code type:"mcp"} tool; its headers and authorization go only on the wire. */
    private static void writeMcpServer(JsonGenerator g, SessionSettings.McpServer server) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "mcp");
        g.writeStringField("server_label", server.label());
        g.writeStringField("server_url", server.url());
        if (server.description() != null) {
            g.writeStringField("server_description", server.description());
        }
        if (server.allowedTools() != null) {
            g.writeArrayFieldStart("allowed_tools");
            for (String name : server.allowedTools()) {
                g.writeString(name);
            }
            g.writeEndArray();
        }
        g.writeStringField("require_approval", server.requireApproval());
        if (!server.headers().isEmpty()) {
            g.writeObjectFieldStart("headers");
            for (var header : server.headers().entrySet()) {
                g.writeStringField(header.getKey(), header.getValue());
            }
            g.writeEndObject();
        }
        if (server.authorization() != null) {
            g.writeStringField("authorization", server.authorization());
        }
        g.writeEndObject();
    }

    /** §2: {@code audio/pcm} names its rate; the G.711 formats have none (8 kHz). */
    private static void writeFormat(JsonGenerator g, AudioFormat format) throws IOException {
        g.writeObjectFieldStart("format");
        g.writeStringField("type", format.wireType());
        if (!format.g711()) {
            g.writeNumberField("rate", PCM_RATE);
        }
        g.writeEndObject();
    }

    /**
     * §3: a message item with one text part (assistant text is {@code output_text}, as in the GA
     * {@code RealtimeConversationItemAssistantMessage}; user and system text is {@code input_text}), a function
     * call's output (§5.4), or the answer to an MCP approval request.
     */
    private static void writeItem(JsonGenerator g, ClientEvent.ConversationItem item) throws IOException {
        g.writeObjectFieldStart("item");
        switch (item) {
            case ClientEvent.ConversationItem.FunctionCallOutput output -> {
                g.writeStringField("type", "function_call_output");
                g.writeStringField("call_id", output.callId());
                g.writeStringField("output", output.output());
            }
            case ClientEvent.ConversationItem.McpApprovalResponse answer -> {
                g.writeStringField("type", "mcp_approval_response");
                g.writeStringField("approval_request_id", answer.approvalRequestId());
                g.writeBooleanField("approve", answer.approve());
                if (answer.reason() != null) {
                    g.writeStringField("reason", answer.reason());
                }
            }
            case ClientEvent.ConversationItem.TextMessage message -> {
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
