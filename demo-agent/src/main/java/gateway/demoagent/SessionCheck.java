package gateway.demoagent;

import static gateway.demoagent.FieldCheck.array;
import static gateway.demoagent.FieldCheck.bool;
import static gateway.demoagent.FieldCheck.decimal;
import static gateway.demoagent.FieldCheck.integer;
import static gateway.demoagent.FieldCheck.join;
import static gateway.demoagent.FieldCheck.object;
import static gateway.demoagent.FieldCheck.oneOf;
import static gateway.demoagent.FieldCheck.onlyKnown;
import static gateway.demoagent.FieldCheck.required;
import static gateway.demoagent.FieldCheck.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the {@code session} of a {@code session.update} as the service does (docs/realtime-protocol.md §2): known
 * fields only, the GA audio formats and rates, turn detection, transcription, function tools with their JSON-Schema
 * parameters. The first mistake found is thrown; nothing is applied before the whole update passed.
 */
final class SessionCheck {

    static final List<String> SESSION_FIELDS = List.of("type", "model", "instructions", "output_modalities", "audio",
            "tools", "tool_choice", "max_output_tokens", "truncation", "tracing", "prompt", "include");
    static final List<String> VOICES = List.of("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse",
            "marin", "cedar");
    static final List<String> FORMATS = List.of("audio/pcm", "audio/pcmu", "audio/pcma");
    /** The one rate {@code audio/pcm} takes (§2). */
    static final int PCM_RATE = 24_000;
    /** The rate of {@code audio/pcmu} and {@code audio/pcma}, which need not be given. */
    static final int G711_RATE = 8_000;
    static final List<String> SERVER_VAD_FIELDS = List.of("type", "threshold", "prefix_padding_ms",
            "silence_duration_ms", "idle_timeout_ms", "create_response", "interrupt_response");
    static final List<String> SEMANTIC_VAD_FIELDS = List.of("type", "eagerness", "create_response",
            "interrupt_response");
    /** An hour: longer VAD durations are surely a mistake, and the session lasts no longer (§5.5). */
    private static final long MAX_DURATION_MS = 3_600_000;
    /** The fields of an {@code mcp} tool (GA {@code RealtimeToolsConfigUnion.Mcp}). */
    static final List<String> MCP_FIELDS = List.of("type", "server_label", "server_url", "server_description",
            "allowed_tools", "require_approval", "headers", "authorization", "connector_id", "allowed_callers",
            "defer_loading", "tunnel_id");
    /** Function names as OpenAI tools take them. */
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** {@code max_output_tokens} may be a number up to this, or {@code "inf"} (§2). */
    private static final int MAX_OUTPUT_TOKENS = 4096;
    private static final String PATH = "session";

    private SessionCheck() {
    }

    /** Throws the first thing the service would refuse in {@code update}; {@code current} is the session now. */
    static void check(JsonNode update, JsonNode current) throws InvalidEvent {
        object(update, PATH);
        onlyKnown(update, PATH, SESSION_FIELDS);
        String type = oneOf(required(update, PATH, "type"), "session.type", List.of("realtime", "transcription"));
        if (!type.equals("realtime")) {
            throw beyondTheDemo("session.type", "a realtime session, not a transcription session");
        }
        if (present(update, "model")) {
            string(update.get("model"), "session.model");
        }
        if (present(update, "instructions")) {
            string(update.get("instructions"), "session.instructions");
        }
        if (present(update, "output_modalities")) {
            modalities(update.get("output_modalities"));
        }
        if (present(update, "audio")) {
            audio(update.get("audio"));
        }
        JsonNode tools = present(update, "tools") ? update.get("tools") : current.path("tools");
        if (present(update, "tools")) {
            tools(tools);
        }
        if (present(update, "tool_choice")) {
            toolChoice(update.get("tool_choice"), tools);
        }
        if (present(update, "max_output_tokens")) {
            maxOutputTokens(update.get("max_output_tokens"));
        }
        if (present(update, "truncation")) {
            truncation(update.get("truncation"));
        }
        if (present(update, "include")) {
            for (JsonNode entry : array(update.get("include"), "session.include")) {
                oneOf(entry, "session.include", List.of("item.input_audio_transcription.logprobs"));
            }
        }
    }

    private static void modalities(JsonNode value) throws InvalidEvent {
        String path = "session.output_modalities";
        array(value, path);
        if (value.size() != 1) {
            throw new InvalidEvent("invalid_value", path, "Invalid '" + path + "': expected exactly one of 'audio'"
                    + " or 'text'.");
        }
        if (!oneOf(value.get(0), path + "[0]", List.of("audio", "text")).equals("audio")) {
            throw beyondTheDemo(path, "audio output");
        }
    }

    private static void audio(JsonNode audio) throws InvalidEvent {
        object(audio, "session.audio");
        onlyKnown(audio, "session.audio", List.of("input", "output"));
        if (present(audio, "input")) {
            String path = "session.audio.input";
            JsonNode input = object(audio.get("input"), path);
            onlyKnown(input, path, List.of("format", "transcription", "noise_reduction", "turn_detection"));
            if (input.has("format")) {
                format(input.get("format"), path + ".format");
            }
            if (present(input, "transcription")) {
                transcription(input.get("transcription"), path + ".transcription");
            }
            if (present(input, "noise_reduction")) {
                JsonNode nr = object(input.get("noise_reduction"), path + ".noise_reduction");
                onlyKnown(nr, path + ".noise_reduction", List.of("type"));
                oneOf(required(nr, path + ".noise_reduction", "type"), path + ".noise_reduction.type",
                        List.of("near_field", "far_field"));
            }
            if (present(input, "turn_detection")) {
                turnDetection(input.get("turn_detection"), path + ".turn_detection");
            }
        }
        if (present(audio, "output")) {
            String path = "session.audio.output";
            JsonNode output = object(audio.get("output"), path);
            onlyKnown(output, path, List.of("format", "voice", "speed"));
            if (output.has("format")) {
                format(output.get("format"), path + ".format");
            }
            if (present(output, "voice")) {
                oneOf(output.get("voice"), path + ".voice", VOICES);
            }
            if (present(output, "speed")) {
                decimal(output.get("speed"), path + ".speed", 0.25, 1.5);
            }
        }
    }

    /** §2: PCM at 24 kHz, or G.711 (μ-law or A-law) at 8 kHz. */
    private static void format(JsonNode format, String path) throws InvalidEvent {
        object(format, path);
        onlyKnown(format, path, List.of("type", "rate"));
        String type = oneOf(required(format, path, "type"), path + ".type", FORMATS);
        if (format.has("rate")) {
            int rate = type.equals(AudioCoding.PCM) ? PCM_RATE : G711_RATE;
            integer(format.get("rate"), path + ".rate", rate, rate);
        }
    }

    private static void transcription(JsonNode transcription, String path) throws InvalidEvent {
        object(transcription, path);
        onlyKnown(transcription, path, List.of("model", "language", "prompt"));
        for (String field : List.of("model", "language", "prompt")) {
            if (present(transcription, field)) {
                string(transcription.get(field), join(path, field));
            }
        }
    }

    /** {@code server_vad} or {@code semantic_vad} with the fields of that type only (§2). */
    private static void turnDetection(JsonNode vad, String path) throws InvalidEvent {
        object(vad, path);
        String type = oneOf(required(vad, path, "type"), path + ".type", List.of("server_vad", "semantic_vad"));
        onlyKnown(vad, path, type.equals("server_vad") ? SERVER_VAD_FIELDS : SEMANTIC_VAD_FIELDS);
        if (present(vad, "threshold")) {
            decimal(vad.get("threshold"), path + ".threshold", 0, 1);
        }
        for (String field : List.of("prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms")) {
            if (present(vad, field)) {
                integer(vad.get(field), join(path, field), 0, MAX_DURATION_MS);
            }
        }
        for (String field : List.of("create_response", "interrupt_response")) {
            if (present(vad, field)) {
                bool(vad.get(field), join(path, field));
            }
        }
        if (present(vad, "eagerness")) {
            oneOf(vad.get("eagerness"), path + ".eagerness", List.of("low", "medium", "high", "auto"));
        }
    }

    /**
     * Function tools (a unique name, an optional description, parameters that are an object's JSON Schema) and
     * remote MCP servers ({@link #mcpTool}).
     */
    private static void tools(JsonNode tools) throws InvalidEvent {
        array(tools, "session.tools");
        Set<String> names = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "session.tools[" + i + "]";
            JsonNode tool = object(tools.get(i), path);
            String type = oneOf(required(tool, path, "type"), path + ".type", List.of("function", "mcp"));
            if (type.equals("mcp")) {
                mcpTool(tool, path, labels);
                continue;
            }
            onlyKnown(tool, path, List.of("type", "name", "description", "parameters"));
            String name = string(required(tool, path, "name"), path + ".name");
            if (!TOOL_NAME.matcher(name).matches()) {
                throw new InvalidEvent("invalid_value", path + ".name", "Invalid '" + path + ".name': string does"
                        + " not match pattern. Expected a string that matches the pattern '" + TOOL_NAME + "'.");
            }
            if (!names.add(name)) {
                throw new InvalidEvent("invalid_value", path + ".name", "Invalid '" + path + ".name': the tool name"
                        + " '" + name + "' is used twice.");
            }
            if (present(tool, "description")) {
                string(tool.get("description"), path + ".description");
            }
            if (present(tool, "parameters")) {
                parameters(tool.get("parameters"), name, path + ".parameters");
            }
        }
    }

    /**
     * A remote MCP server the service calls for the model (GA {@code RealtimeToolsConfigUnion.Mcp}): a unique
     * {@code server_label}, a {@code server_url} or a {@code connector_id}, allowed tools as names or a filter, the
     * approval policy ({@code always}, {@code never} or a filter), string headers and an authorization token. The
     * demo calls no MCP server: it accepts the tool as the service does and never uses it.
     */
    private static void mcpTool(JsonNode tool, String path, Set<String> labels) throws InvalidEvent {
        onlyKnown(tool, path, MCP_FIELDS);
        String label = string(required(tool, path, "server_label"), path + ".server_label");
        if (!TOOL_NAME.matcher(label).matches()) {
            throw new InvalidEvent("invalid_value", path + ".server_label", "Invalid '" + path + ".server_label':"
                    + " string does not match pattern. Expected a string that matches the pattern '" + TOOL_NAME
                    + "'.");
        }
        if (!labels.add(label)) {
            throw new InvalidEvent("invalid_value", path + ".server_label", "Invalid '" + path + ".server_label':"
                    + " the server label '" + label + "' is used twice.");
        }
        if (!present(tool, "server_url") && !present(tool, "connector_id")) {
            throw new InvalidEvent("missing_required_parameter", path + ".server_url", "Missing required parameter:"
                    + " '" + path + ".server_url' (or '" + path + ".connector_id').");
        }
        if (present(tool, "server_url")) {
            String url = string(tool.get("server_url"), path + ".server_url");
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new InvalidEvent("invalid_value", path + ".server_url", "Invalid '" + path + ".server_url':"
                        + " expected an http(s) URL.");
            }
        }
        for (String field : List.of("server_description", "authorization", "connector_id")) {
            if (present(tool, field)) {
                string(tool.get(field), join(path, field));
            }
        }
        if (present(tool, "allowed_tools")) {
            toolFilter(tool.get("allowed_tools"), path + ".allowed_tools", true);
        }
        if (present(tool, "require_approval")) {
            JsonNode approval = tool.get("require_approval");
            String at = path + ".require_approval";
            if (approval.isTextual()) {
                oneOf(approval, at, List.of("always", "never"));
            } else {
                object(approval, at);
                onlyKnown(approval, at, List.of("always", "never"));
                for (String field : List.of("always", "never")) {
                    if (present(approval, field)) {
                        toolFilter(approval.get(field), join(at, field), false);
                    }
                }
            }
        }
        if (present(tool, "headers")) {
            JsonNode headers = object(tool.get("headers"), path + ".headers");
            for (var header : headers.properties()) {
                string(header.getValue(), path + ".headers." + header.getKey());
            }
        }
    }

    /** A list of tool names ({@code namesAllowed}) or a filter object {@code {tool_names, read_only}}. */
    private static void toolFilter(JsonNode filter, String path, boolean namesAllowed) throws InvalidEvent {
        if (namesAllowed && filter.isArray()) {
            for (JsonNode name : filter) {
                string(name, path + "[]");
            }
            return;
        }
        object(filter, path);
        onlyKnown(filter, path, List.of("tool_names", "read_only"));
        if (present(filter, "tool_names")) {
            for (JsonNode name : array(filter.get("tool_names"), path + ".tool_names")) {
                string(name, path + ".tool_names[]");
            }
        }
        if (present(filter, "read_only")) {
            bool(filter.get("read_only"), path + ".read_only");
        }
    }

    /** The JSON Schema of the arguments: an object schema whose properties are schemas and whose required exist. */
    private static void parameters(JsonNode schema, String name, String path) throws InvalidEvent {
        if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
            throw new InvalidEvent("invalid_function_parameters", path, "Invalid schema for function '" + name
                    + "': schema must be a JSON Schema of 'type: \"object\"', got " + describe(schema) + ".");
        }
        JsonNode properties = schema.path("properties");
        if (!properties.isMissingNode()) {
            if (!properties.isObject()) {
                throw new InvalidEvent("invalid_function_parameters", path + ".properties", "Invalid schema for"
                        + " function '" + name + "': 'properties' must be an object.");
            }
            for (var property : properties.properties()) {
                if (!property.getValue().isObject()) {
                    throw new InvalidEvent("invalid_function_parameters", path + ".properties." + property.getKey(),
                            "Invalid schema for function '" + name + "': property '" + property.getKey()
                                    + "' must be a schema object.");
                }
            }
        }
        JsonNode requiredNames = schema.path("required");
        if (!requiredNames.isMissingNode()) {
            for (JsonNode entry : requiredNames.isArray() ? requiredNames : List.of(requiredNames)) {
                if (!entry.isTextual() || !properties.has(entry.asText())) {
                    throw new InvalidEvent("invalid_function_parameters", path + ".required", "Invalid schema for"
                            + " function '" + name + "': 'required' must list names of 'properties', got "
                            + entry + ".");
                }
            }
        }
    }

    private static String describe(JsonNode schema) {
        return schema.isObject() ? "'type: " + schema.path("type") + "'"
                : schema.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto}, {@code none}, {@code required}, or one declared function by name. */
    private static void toolChoice(JsonNode choice, JsonNode tools) throws InvalidEvent {
        String path = "session.tool_choice";
        if (choice.isTextual()) {
            oneOf(choice, path, List.of("auto", "none", "required"));
            return;
        }
        object(choice, path);
        onlyKnown(choice, path, List.of("type", "name"));
        oneOf(required(choice, path, "type"), path + ".type", List.of("function"));
        String name = string(required(choice, path, "name"), path + ".name");
        for (JsonNode tool : tools) {
            if (name.equals(tool.path("name").asText())) {
                return;
            }
        }
        throw new InvalidEvent("invalid_value", path + ".name", "Invalid value: '" + name + "'. Tool choice names"
                + " no function in 'session.tools'.");
    }

    private static void maxOutputTokens(JsonNode value) throws InvalidEvent {
        String path = "session.max_output_tokens";
        if (value.isTextual()) {
            oneOf(value, path, List.of("inf"));
        } else {
            integer(value, path, 1, MAX_OUTPUT_TOKENS);
        }
    }

    private static void truncation(JsonNode value) throws InvalidEvent {
        String path = "session.truncation";
        if (value.isTextual()) {
            oneOf(value, path, List.of("auto", "disabled"));
            return;
        }
        object(value, path);
        onlyKnown(value, path, List.of("type", "retention_ratio"));
        oneOf(required(value, path, "type"), path + ".type", List.of("retention_ratio"));
        decimal(required(value, path, "retention_ratio"), path + ".retention_ratio", 0, 1);
    }

    /** The field is there and not null (null clears a field, §2). */
    private static boolean present(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    /** Valid for the service but beyond what the demo agent can do: refused plainly rather than pretended (§7). */
    private static InvalidEvent beyondTheDemo(String param, String what) {
        return new InvalidEvent("invalid_value", param, "The demo agent supports only " + what + ".");
    }
}
