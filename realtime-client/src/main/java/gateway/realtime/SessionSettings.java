package gateway.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway asks of the Realtime session (docs/realtime-protocol.md §2): the agent's instructions and voice,
 * the caller's transcription, turn detection, input noise reduction, the longest reply, the function tools the model
 * may call (§5.4), the remote MCP servers the service may call for it, and the audio format both ways.
 *
 * @param instructions    the system prompt; null: the service's
 * @param voice           the output voice; null or empty: the service's
 * @param transcription   the caller's input transcription; null: none (caller turns then get no transcript)
 * @param turnDetection   how the service finds the caller's turns
 * @param noiseReduction  input noise reduction; null: none
 * @param maxOutputTokens the longest reply in tokens (1-4096); null: the service's ({@code inf})
 * @param tools           function tools
 * @param mcpServers      remote MCP servers, passed through as {@code mcp} tools
 * @param audioFormat     the audio format both ways; null: {@link AudioFormat#PCM24K}
 */
public record SessionSettings(String instructions, String voice, Transcription transcription,
                              TurnDetection turnDetection, NoiseReduction noiseReduction, Integer maxOutputTokens,
                              List<Tool> tools, List<McpServer> mcpServers, AudioFormat audioFormat) {

    /** {@code max_output_tokens} is 1-4096 or {@code inf} (§2). */
    public static final int MAX_OUTPUT_TOKENS = 4096;

    public SessionSettings {
        tools = tools == null ? List.of() : List.copyOf(tools);
        mcpServers = mcpServers == null ? List.of() : List.copyOf(mcpServers);
        turnDetection = turnDetection == null ? TurnDetection.ServerVad.DEFAULT : turnDetection;
        audioFormat = audioFormat == null ? AudioFormat.PCM24K : audioFormat;
        if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > MAX_OUTPUT_TOKENS)) {
            throw new IllegalArgumentException("max output tokens out of 1-" + MAX_OUTPUT_TOKENS + ": "
                    + maxOutputTokens);
        }
    }

    /** Settings in 24 kHz PCM. */
    public SessionSettings(String instructions, String voice, Transcription transcription,
                           TurnDetection turnDetection, NoiseReduction noiseReduction, Integer maxOutputTokens,
                           List<Tool> tools, List<McpServer> mcpServers) {
        this(instructions, voice, transcription, turnDetection, noiseReduction, maxOutputTokens, tools, mcpServers,
                AudioFormat.PCM24K);
    }

    /** Settings with a transcription model (null or empty: none), server VAD and tools. */
    public SessionSettings(String instructions, String voice, String transcriptionModel, List<Tool> tools) {
        this(instructions, voice, Transcription.of(transcriptionModel), null, null, null, tools, List.of());
    }

    /** Settings without tools. */
    public SessionSettings(String instructions, String voice, String transcriptionModel) {
        this(instructions, voice, transcriptionModel, List.of());
    }

    /** The same settings with {@code text} as the instructions. */
    public SessionSettings withInstructions(String text) {
        return new SessionSettings(text, voice, transcription, turnDetection, noiseReduction, maxOutputTokens, tools,
                mcpServers, audioFormat);
    }

    /** The same settings with {@code more} function tools after the present ones. */
    public SessionSettings withTools(List<Tool> more) {
        List<Tool> all = new ArrayList<>(tools);
        all.addAll(more);
        return new SessionSettings(instructions, voice, transcription, turnDetection, noiseReduction,
                maxOutputTokens, all, mcpServers, audioFormat);
    }

    /** The same settings with audio in {@code format} both ways. */
    public SessionSettings withAudioFormat(AudioFormat format) {
        return new SessionSettings(instructions, voice, transcription, turnDetection, noiseReduction,
                maxOutputTokens, tools, mcpServers, format);
    }

    /** {@code audio.input.noise_reduction.type} (§2). */
    public enum NoiseReduction {
        /** A close-talking microphone, e.g. a handset or headset. */
        NEAR_FIELD("near_field"),
        /** A far-field microphone, e.g. a speakerphone or a conference room. */
        FAR_FIELD("far_field");

        private final String wireName;

        NoiseReduction(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * The caller's input transcription (§5.3).
     *
     * @param model    e.g. {@code gpt-4o-mini-transcribe}
     * @param language ISO-639-1 code of the caller's language, or null (detected)
     * @param prompt   text that guides the transcription (names, terms), or null
     */
    public record Transcription(String model, String language, String prompt) {
        public Transcription {
            Objects.requireNonNull(model, "model");
        }

        /** A transcription by {@code model} alone; null when the model is null or empty (no transcription). */
        public static Transcription of(String model) {
            return model == null || model.isEmpty() ? null : new Transcription(model, null, null);
        }
    }

    /** {@code audio.input.turn_detection} (§2): how the service decides that the caller finished a turn. */
    public sealed interface TurnDetection {

        /**
         * {@code server_vad}: by the audio's energy. A null field is left out (the service's default).
         *
         * @param threshold         0-1: how loud speech must be
         * @param prefixPaddingMs   audio kept before the detected start
         * @param silenceDurationMs silence that ends a turn
         */
        record ServerVad(Double threshold, Integer prefixPaddingMs, Integer silenceDurationMs)
                implements TurnDetection {
            /** Every field left to the service. */
            public static final ServerVad DEFAULT = new ServerVad(null, null, null);

            public ServerVad {
                if (threshold != null && (threshold < 0 || threshold > 1)) {
                    throw new IllegalArgumentException("threshold out of 0-1: " + threshold);
                }
                if (prefixPaddingMs != null && prefixPaddingMs < 0 || silenceDurationMs != null
                        && silenceDurationMs < 0) {
                    throw new IllegalArgumentException("negative duration");
                }
            }
        }

        /**
         * {@code semantic_vad}: by what the caller says.
         *
         * @param eagerness {@code low}, {@code medium}, {@code high} or {@code auto}; null: the service's
         */
        record SemanticVad(String eagerness) implements TurnDetection {
            /** The eagerness values the service takes. */
            public static final List<String> EAGERNESS = List.of("low", "medium", "high", "auto");

            public SemanticVad {
                if (eagerness != null && !EAGERNESS.contains(eagerness)) {
                    throw new IllegalArgumentException("eagerness not one of " + EAGERNESS + ": " + eagerness);
                }
            }
        }
    }

    /**
     * A function the model may call (§5.4).
     *
     * @param parameters the JSON Schema of its arguments, as JSON text of an object with {@code type: "object"}
     */
    public record Tool(String name, String description, String parameters) {

        /** The schema of a function that takes no arguments. */
        public static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";
        private static final ObjectMapper JSON = new ObjectMapper();

        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            parameters = canonical(parameters == null ? NO_PARAMETERS : parameters);
        }

        /** A function that takes no arguments. */
        public Tool(String name, String description) {
            this(name, description, NO_PARAMETERS);
        }

        /** The schema as compact JSON; it must be a JSON object, as the encoder writes it unchanged. */
        private static String canonical(String schema) {
            try {
                JsonNode node = JSON.readTree(schema);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("parameters must be a JSON object: " + schema);
                }
                return JSON.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("parameters are not JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    /**
     * A remote MCP server the service calls for the model ({@code type:"mcp"} in {@code tools}). The headers and the
     * authorization are secrets: {@link #toString()} never prints them.
     *
     * @param label           {@code server_label}: names the server in the model's tool calls
     * @param url             {@code server_url}
     * @param description     {@code server_description}, or null
     * @param allowedTools    the only tools of the server the model may use; null: all of them
     * @param requireApproval {@code always} or {@code never}
     * @param headers         HTTP headers sent to the server (e.g. an API key)
     * @param authorization   an OAuth access token for the server, or null
     */
    public record McpServer(String label, String url, String description, List<String> allowedTools,
                            String requireApproval, Map<String, String> headers, String authorization) {

        /** The approval policies a server may have. */
        public static final List<String> APPROVALS = List.of("never", "always");

        public McpServer {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(url, "url");
            allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
            requireApproval = requireApproval == null ? "never" : requireApproval;
            if (!APPROVALS.contains(requireApproval)) {
                throw new IllegalArgumentException("require approval not one of " + APPROVALS + ": "
                        + requireApproval);
            }
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public String toString() {
            return "McpServer[label=" + label + ", url=" + url + ", allowedTools=" + allowedTools
                    + ", requireApproval=" + requireApproval + ", headers=" + headers.keySet()
                    + ", authorization=" + (authorization == null ? "none" : "set") + "]";
        }
    }
}
