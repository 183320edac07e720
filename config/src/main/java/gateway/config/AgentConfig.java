package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code agent.*} keys into one {@link GatewayConfig.Agent}. A routing profile overrides the
 * agent whole: its keys are read by the same code with their own prefix ({@code profiles.<name>.}), so every message
 * names the key as the operator wrote it, down to the element of a list ({@code agent.tools[1].url}). No message
 * repeats a secret.
 */
final class AgentConfig {

    /** The prefix of the default agent's keys. */
    static final String PREFIX = "agent.";
    /** Function names as the Realtime service takes them (docs/realtime-protocol.md §2). */
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** Names the gateway's own tools have or will have; a configured tool may not take them. */
    static final List<String> RESERVED_TOOL_NAMES = List.of("pause_recording", "resume_recording", "end_call",
            "transfer_call", "send_dtmf");
    /** RFC 9110 §5.1: a header name is a token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /**
     * Headers a webhook request may not be given: the JDK's HTTP client sets the first ones itself, and the gateway
     * sets the content type and its signature ({@code X-Gateway-Timestamp}, {@code X-Gateway-Signature}).
     */
    static final Set<String> RESERVED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "content-type", "x-gateway-timestamp", "x-gateway-signature");
    /** Headers holding a caller's credentials (RFC 3261 §20.7, §20.28): never copied anywhere. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization");
    /** Headers passed to the agent: a handful is what a call needs; more is a mistake that bloats every call.json. */
    static final int MAX_CONTEXT_HEADERS = 20;
    /** ISO-639-1: two lower-case letters. */
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");
    /** Webhook timeout: at least 100 ms (a network round trip), at most a minute (a caller waits meanwhile). */
    static final int MIN_TOOL_TIMEOUT_MS = 100;
    static final int MAX_TOOL_TIMEOUT_MS = 60_000;
    static final int DEFAULT_TOOL_TIMEOUT_MS = 5_000;
    /** A transfer's final NOTIFY: at least a second, at most five minutes (a queue may ring that long). */
    static final int MIN_TRANSFER_TIMEOUT_MS = 1_000;
    static final int MAX_TRANSFER_TIMEOUT_MS = 300_000;
    /** Shortest tools secret: 16 characters, as for the API token. */
    static final int MIN_SECRET_CHARS = 16;
    /** A silence prompt before a second would talk over a pause for breath; after ten minutes it is pointless. */
    static final int MIN_SILENCE_PROMPT_MS = 1_000;
    static final int MAX_SILENCE_PROMPT_MS = 600_000;
    static final int MAX_SILENCE_PROMPTS = 10;
    /** Turn-detection durations above ten seconds would leave the caller waiting for an answer. */
    static final int MAX_VAD_MS = 10_000;
    static final int MAX_OUTPUT_TOKENS = 4096;
    private static final List<String> TOOL_FIELDS = List.of("name", "description", "parameters", "url",
            "timeout-ms", "headers");
    private static final List<String> MCP_FIELDS = List.of("label", "url", "description", "allowed-tools",
            "require-approval", "headers", "authorization");

    private final Map<ConfigKey, String> values;
    private final String prefix;

    private AgentConfig(Map<ConfigKey, String> values, String prefix) {
        this.values = values;
        this.prefix = prefix;
    }

    /** The default agent from the {@code agent.*} values. */
    static GatewayConfig.Agent parse(Map<ConfigKey, String> values) throws ConfigException {
        return parse(values, PREFIX);
    }

    /**
     * The agent from {@code values}, its keys named with {@code prefix} in place of {@code agent.} (a profile's
     * {@code profiles.<name>.}).
     */
    static GatewayConfig.Agent parse(Map<ConfigKey, String> values, String prefix) throws ConfigException {
        return new AgentConfig(values, prefix).agent();
    }

    private GatewayConfig.Agent agent() throws ConfigException {
        String instructions = required(ConfigKey.AGENT_INSTRUCTIONS);
        String voice = required(ConfigKey.AGENT_VOICE);
        String transcription = required(ConfigKey.AGENT_TRANSCRIPTION_MODEL);
        String language = optional(ConfigKey.AGENT_TRANSCRIPTION_LANGUAGE);
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            throw fail(ConfigKey.AGENT_TRANSCRIPTION_LANGUAGE, "must be an ISO-639-1 code of two lower-case letters"
                    + " (e.g. en), got '" + language + "'");
        }
        String prompt = optional(ConfigKey.AGENT_TRANSCRIPTION_PROMPT);
        GatewayConfig.TurnDetection vad = turnDetection();
        String noise = oneOf(ConfigKey.AGENT_NOISE_REDUCTION, List.of("none", "near_field", "far_field"));
        Integer maxTokens = maxOutputTokens();
        String greeting = optional(ConfigKey.AGENT_GREETING);
        int silenceMs = integer(ConfigKey.AGENT_SILENCE_PROMPT_MS, 0, MAX_SILENCE_PROMPT_MS);
        if (silenceMs != 0 && silenceMs < MIN_SILENCE_PROMPT_MS) {
            throw fail(ConfigKey.AGENT_SILENCE_PROMPT_MS, "must be 0 (never) or " + MIN_SILENCE_PROMPT_MS + "-"
                    + MAX_SILENCE_PROMPT_MS + ", got " + silenceMs);
        }
        int maxPrompts = integer(ConfigKey.AGENT_SILENCE_MAX_PROMPTS, 0, MAX_SILENCE_PROMPTS);
        boolean endCall = bool(ConfigKey.AGENT_END_CALL_TOOL);
        List<GatewayConfig.WebhookTool> tools = tools();
        String secret = values.get(ConfigKey.AGENT_TOOLS_SECRET).trim();
        if (!tools.isEmpty() && secret.length() < MIN_SECRET_CHARS) {
            throw fail(ConfigKey.AGENT_TOOLS_SECRET, secret.isEmpty()
                    ? "must be set when " + name(ConfigKey.AGENT_TOOLS) + " lists tools: every webhook request is"
                    + " signed with it, so the receiver can trust it"
                    : "is too short to be a secret: use at least " + MIN_SECRET_CHARS + " characters");
        }
        List<String> contextHeaders = contextHeaders();
        try {
            InstructionTemplate.parse(instructions, contextHeaders);
        } catch (IllegalArgumentException e) {
            throw fail(ConfigKey.AGENT_INSTRUCTIONS, e.getMessage());
        }
        return new GatewayConfig.Agent(instructions, voice, transcription, language, prompt, vad,
                noise.equals("none") ? null : noise, maxTokens, greeting, silenceMs, maxPrompts, endCall, tools,
                secret, mcpServers(), bool(ConfigKey.AGENT_DTMF_TO_MODEL), bool(ConfigKey.AGENT_DTMF_TOOL),
                contextHeaders, allowedSources(), transfer(),
                oneOf(ConfigKey.AGENT_EARLY_MEDIA, List.of("off", "consent")).equals("consent"));
    }

    /** The SIP headers passed to the agent: token names, each once (any case), none that carries a credential. */
    private List<String> contextHeaders() throws ConfigException {
        String raw = optional(ConfigKey.AGENT_CONTEXT_HEADERS);
        List<String> headers = new ArrayList<>();
        if (raw == null) {
            return headers;
        }
        Set<String> seen = new HashSet<>();
        for (String part : raw.split(",")) {
            String header = part.trim();
            if (header.isEmpty()) {
                continue;
            }
            String lower = header.toLowerCase(Locale.ROOT);
            if (!HEADER_NAME.matcher(header).matches()) {
                throw fail(ConfigKey.AGENT_CONTEXT_HEADERS, "'" + header + "' is not a SIP header name");
            }
            if (CREDENTIAL_HEADERS.contains(lower)) {
                throw fail(ConfigKey.AGENT_CONTEXT_HEADERS, "'" + header + "' carries a caller's credentials and is"
                        + " never passed on");
            }
            if (!seen.add(lower)) {
                throw fail(ConfigKey.AGENT_CONTEXT_HEADERS, "'" + header + "' is listed twice");
            }
            headers.add(header);
        }
        if (headers.size() > MAX_CONTEXT_HEADERS) {
            throw fail(ConfigKey.AGENT_CONTEXT_HEADERS, "lists " + headers.size() + " headers; at most "
                    + MAX_CONTEXT_HEADERS);
        }
        return headers;
    }

    /** Who may reach this agent beyond sip.allowed-sources; null: everyone that lets in. */
    private SourceFilter allowedSources() throws ConfigException {
        String raw = optional(ConfigKey.AGENT_ALLOWED_SOURCES);
        if (raw == null) {
            return null;
        }
        try {
            return SourceFilter.parse(raw);
        } catch (IllegalArgumentException e) {
            throw fail(ConfigKey.AGENT_ALLOWED_SOURCES, e.getMessage());
        }
    }

    private GatewayConfig.TurnDetection turnDetection() throws ConfigException {
        String type = oneOf(ConfigKey.AGENT_TURN_DETECTION, List.of(GatewayConfig.TurnDetection.SERVER_VAD,
                GatewayConfig.TurnDetection.SEMANTIC_VAD));
        boolean server = type.equals(GatewayConfig.TurnDetection.SERVER_VAD);
        Double threshold = null;
        String rawThreshold = optional(ConfigKey.AGENT_VAD_THRESHOLD);
        if (rawThreshold != null) {
            try {
                threshold = Double.parseDouble(rawThreshold);
            } catch (NumberFormatException e) {
                throw fail(ConfigKey.AGENT_VAD_THRESHOLD, "not a number: '" + rawThreshold + "'");
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw fail(ConfigKey.AGENT_VAD_THRESHOLD, "must be between 0.0 and 1.0, got " + rawThreshold);
            }
        }
        Integer padding = optionalInteger(ConfigKey.AGENT_VAD_PREFIX_PADDING_MS, 0, MAX_VAD_MS);
        Integer silence = optionalInteger(ConfigKey.AGENT_VAD_SILENCE_DURATION_MS, 0, MAX_VAD_MS);
        String eagerness = optional(ConfigKey.AGENT_VAD_EAGERNESS);
        if (eagerness != null) {
            eagerness = oneOf(ConfigKey.AGENT_VAD_EAGERNESS, List.of("low", "medium", "high", "auto"));
        }
        ConfigKey misplaced = server ? (eagerness != null ? ConfigKey.AGENT_VAD_EAGERNESS : null)
                : threshold != null ? ConfigKey.AGENT_VAD_THRESHOLD
                : padding != null ? ConfigKey.AGENT_VAD_PREFIX_PADDING_MS
                : silence != null ? ConfigKey.AGENT_VAD_SILENCE_DURATION_MS : null;
        if (misplaced != null) {
            throw fail(misplaced, "applies only with " + name(ConfigKey.AGENT_TURN_DETECTION) + "="
                    + (server ? GatewayConfig.TurnDetection.SEMANTIC_VAD : GatewayConfig.TurnDetection.SERVER_VAD)
                    + " (it is " + type + ")");
        }
        return new GatewayConfig.TurnDetection(type, threshold, padding, silence, eagerness);
    }

    private Integer maxOutputTokens() throws ConfigException {
        String raw = values.get(ConfigKey.AGENT_MAX_OUTPUT_TOKENS).trim();
        if (raw.isEmpty() || raw.equals("inf")) {
            return null;
        }
        return optionalInteger(ConfigKey.AGENT_MAX_OUTPUT_TOKENS, 1, MAX_OUTPUT_TOKENS);
    }

    // ---- agent.tools ----

    private List<GatewayConfig.WebhookTool> tools() throws ConfigException {
        JsonNode list = structured(ConfigKey.AGENT_TOOLS);
        List<GatewayConfig.WebhookTool> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = name(ConfigKey.AGENT_TOOLS) + "[" + i + "]";
            JsonNode tool = element(list.get(i), at, TOOL_FIELDS);
            String toolName = uniqueName(tool, at, "name", names);
            if (RESERVED_TOOL_NAMES.contains(toolName)) {
                throw new ConfigException(at + ".name", "'" + toolName + "' is the name of one of the gateway's own"
                        + " tools");
            }
            String description = text(tool, at, "description", true);
            String parameters = parameters(tool.get("parameters"), at + ".parameters");
            URI url = url(text(tool, at, "url", true), at + ".url", List.of("http", "https"));
            int timeout = DEFAULT_TOOL_TIMEOUT_MS;
            JsonNode timeoutNode = tool.get("timeout-ms");
            if (timeoutNode != null && !timeoutNode.isNull()) {
                if (!(timeoutNode.isIntegralNumber() && timeoutNode.canConvertToInt()
                        || timeoutNode.isTextual() && timeoutNode.asText().matches("\\d{1,9}"))) {
                    throw new ConfigException(at + ".timeout-ms", "not a whole number: " + timeoutNode);
                }
                timeout = timeoutNode.asInt();
                if (timeout < MIN_TOOL_TIMEOUT_MS || timeout > MAX_TOOL_TIMEOUT_MS) {
                    throw new ConfigException(at + ".timeout-ms", "must be between " + MIN_TOOL_TIMEOUT_MS + " and "
                            + MAX_TOOL_TIMEOUT_MS + ", got " + timeout);
                }
            }
            tools.add(new GatewayConfig.WebhookTool(toolName, description, parameters, url, timeout,
                    headers(tool.get("headers"), at + ".headers", RESERVED_HEADERS)));
        }
        return tools;
    }

    /** A JSON Schema of an object, as the service takes a function's parameters; absent: no parameters. */
    private static String parameters(JsonNode schema, String at) throws ConfigException {
        if (schema == null || schema.isNull()) {
            return "{\"type\":\"object\",\"properties\":{}}";
        }
        if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
            throw new ConfigException(at, "must be a JSON Schema of an object (type: object, properties: …)");
        }
        JsonNode properties = schema.path("properties");
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw new ConfigException(at + ".properties", "must be a mapping of property names to schemas");
        }
        JsonNode required = schema.path("required");
        if (!required.isMissingNode()) {
            if (!required.isArray()) {
                throw new ConfigException(at + ".required", "must be a list of property names");
            }
            for (JsonNode name : required) {
                if (!name.isTextual() || !properties.has(name.asText())) {
                    throw new ConfigException(at + ".required", "names " + name + ", which is not in properties");
                }
            }
        }
        return schema.toString();
    }

    // ---- agent.mcp-servers ----

    private List<GatewayConfig.McpServer> mcpServers() throws ConfigException {
        JsonNode list = structured(ConfigKey.AGENT_MCP_SERVERS);
        List<GatewayConfig.McpServer> servers = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = name(ConfigKey.AGENT_MCP_SERVERS) + "[" + i + "]";
            JsonNode server = element(list.get(i), at, MCP_FIELDS);
            String label = uniqueName(server, at, "label", labels);
            // The Realtime service reaches the server over the internet: only https.
            URI url = url(text(server, at, "url", true), at + ".url", List.of("https"));
            List<String> allowed = null;
            JsonNode allowedNode = server.get("allowed-tools");
            if (allowedNode != null && !allowedNode.isNull()) {
                if (!allowedNode.isArray()) {
                    throw new ConfigException(at + ".allowed-tools", "must be a list of tool names");
                }
                allowed = new ArrayList<>();
                for (JsonNode name : allowedNode) {
                    if (!name.isTextual() || name.asText().isBlank()) {
                        throw new ConfigException(at + ".allowed-tools", "must be a list of tool names, got " + name);
                    }
                    allowed.add(name.asText());
                }
            }
            String approval = text(server, at, "require-approval", false);
            if (approval == null) {
                approval = "never";
            } else if (!approval.equals("never") && !approval.equals("always")) {
                throw new ConfigException(at + ".require-approval", "must be never or always, got '" + approval + "'");
            }
            String authorization = server.has("authorization") && !server.get("authorization").isNull()
                    ? secretText(server.get("authorization"), at + ".authorization") : null;
            servers.add(new GatewayConfig.McpServer(label, url, text(server, at, "description", false), allowed,
                    approval, headers(server.get("headers"), at + ".headers", Set.of()), authorization));
        }
        return servers;
    }

    // ---- transfer ----

    /** The agent.transfer-* keys and agent.fallback-transfer. */
    private GatewayConfig.Transfer transfer() throws ConfigException {
        String target = optionalSipUri(ConfigKey.AGENT_TRANSFER_TARGET);
        Map<String, String> destinations = new LinkedHashMap<>();
        JsonNode mapping = ConfigLoader.structured(name(ConfigKey.AGENT_TRANSFER_DESTINATIONS),
                values.get(ConfigKey.AGENT_TRANSFER_DESTINATIONS));
        if (!mapping.isMissingNode() && !mapping.isNull()) {
            if (!mapping.isObject()) {
                throw fail(ConfigKey.AGENT_TRANSFER_DESTINATIONS, "must be a mapping of names to SIP URIs");
            }
            for (var field : mapping.properties()) {
                String at = name(ConfigKey.AGENT_TRANSFER_DESTINATIONS) + "." + field.getKey();
                if (!TOOL_NAME.matcher(field.getKey()).matches()) {
                    throw new ConfigException(at, "a name must be 1-64 of a-z A-Z 0-9 _ -");
                }
                if (!field.getValue().isTextual()) {
                    throw new ConfigException(at, "must be a SIP URI");
                }
                destinations.put(field.getKey(), sipUri(field.getValue().asText().trim(), at));
            }
        }
        if (target == null && !destinations.isEmpty()) {
            throw fail(ConfigKey.AGENT_TRANSFER_DESTINATIONS, "needs " + name(ConfigKey.AGENT_TRANSFER_TARGET)
                    + " (where the caller goes when the model names no destination)");
        }
        String headers = values.get(ConfigKey.AGENT_TRANSFER_HEADERS).trim().toLowerCase(Locale.ROOT);
        Set<String> kinds = new HashSet<>();
        for (String kind : headers.split(",")) {
            kinds.add(kind.trim());
        }
        if (!List.of("x-headers", "user-to-user").containsAll(kinds.stream().filter(k -> !k.equals("none"))
                .toList()) || kinds.contains("none") && kinds.size() > 1) {
            throw fail(ConfigKey.AGENT_TRANSFER_HEADERS, "must be x-headers, user-to-user, both"
                    + " (x-headers,user-to-user) or none, got '" + headers + "'");
        }
        int timeoutMs = integer(ConfigKey.AGENT_TRANSFER_TIMEOUT_MS, MIN_TRANSFER_TIMEOUT_MS,
                MAX_TRANSFER_TIMEOUT_MS);
        return new GatewayConfig.Transfer(target, destinations, kinds.contains("x-headers"),
                kinds.contains("user-to-user"), timeoutMs, optionalSipUri(ConfigKey.AGENT_FALLBACK_TRANSFER));
    }

    private String optionalSipUri(ConfigKey key) throws ConfigException {
        String raw = optional(key);
        return raw == null ? null : sipUri(raw, name(key));
    }

    /** A sip: or sips: URI without headers (the gateway adds its own) and without spaces or angle brackets. */
    private static String sipUri(String raw, String at) throws ConfigException {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("sip:") || lower.startsWith("sips:")) || raw.endsWith(":")) {
            throw new ConfigException(at, "must be a sip: or sips: URI, got '" + raw + "'");
        }
        for (char c : raw.toCharArray()) {
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '?' || c >= 0x7f) {
                throw new ConfigException(at, "must be a plain sip: or sips: URI without spaces, <>, \" or"
                        + " ?headers, got '" + raw + "'");
            }
        }
        return raw;
    }

    // ---- helpers ----

    private JsonNode structured(ConfigKey key) throws ConfigException {
        JsonNode list = ConfigLoader.structured(name(key), values.get(key));
        if (list.isMissingNode() || list.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!list.isArray()) {
            throw new ConfigException(name(key), "must be a list");
        }
        return list;
    }

    /** An element of a structured list: a mapping of {@code fields} only. */
    static JsonNode element(JsonNode node, String at, List<String> fields) throws ConfigException {
        if (!node.isObject()) {
            throw new ConfigException(at, "must be a mapping of " + fields);
        }
        onlyKnown(node, at, fields);
        return node;
    }

    /** A name as the service takes function names and server labels, not yet in {@code seen}. */
    private static String uniqueName(JsonNode node, String at, String field, Set<String> seen) throws ConfigException {
        String name = text(node, at, field, true);
        if (!TOOL_NAME.matcher(name).matches()) {
            throw new ConfigException(at + "." + field, "must be 1-64 of a-z A-Z 0-9 _ -, got '" + name + "'");
        }
        if (!seen.add(name)) {
            throw new ConfigException(at + "." + field, "'" + name + "' is listed twice");
        }
        return name;
    }

    private static void onlyKnown(JsonNode node, String at, List<String> known) throws ConfigException {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                throw new ConfigException(at + "." + field, "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    static String text(JsonNode node, String at, String field, boolean required) throws ConfigException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ConfigException(at + "." + field, "is required");
            }
            return null;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new ConfigException(at + "." + field, "must be a non-empty text");
        }
        return value.asText().trim();
    }

    /** A secret's text; the message never repeats it. */
    private static String secretText(JsonNode value, String at) throws ConfigException {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ConfigException(at, "must be a non-empty text");
        }
        return value.asText();
    }

    /** HTTP headers: token names (none of {@code reserved}), text values without line breaks; never repeated. */
    private static Map<String, String> headers(JsonNode node, String at, Set<String> reserved) throws ConfigException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new ConfigException(at, "must be a mapping of header names to values");
        }
        for (var field : node.properties()) {
            String header = field.getKey();
            if (!HEADER_NAME.matcher(header).matches()) {
                throw new ConfigException(at + "." + header, "not an HTTP header name");
            }
            if (reserved.contains(header.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(at + "." + header, "is set by the gateway and cannot be configured");
            }
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull() || value.asText().indexOf('\r') >= 0
                    || value.asText().indexOf('\n') >= 0) {
                throw new ConfigException(at + "." + header, "must be a single line of text");
            }
            headers.put(header, value.asText());
        }
        return headers;
    }

    /** A URL of one of {@code schemes}, with a host and no credentials; {@code at} names the key in messages. */
    static URI url(String raw, String at, List<String> schemes) throws ConfigException {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!schemes.contains(scheme)) {
                throw new ConfigException(at, "must be a " + String.join(" or ", schemes) + " URL, got " + raw);
            }
            if (uri.getHost() == null) {
                throw new ConfigException(at, "has no host: " + raw);
            }
            if (uri.getUserInfo() != null) {
                throw new ConfigException(at, "must not hold credentials (use headers)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(at, "not a URL: " + e.getMessage());
        }
    }

    /** The key's name as the operator wrote it: {@code agent.x}, or a profile's {@code profiles.<name>.x}. */
    String name(ConfigKey key) {
        return prefix + key.key().substring(PREFIX.length());
    }

    private ConfigException fail(ConfigKey key, String message) {
        return new ConfigException(name(key), message);
    }

    private String required(ConfigKey key) throws ConfigException {
        String s = values.get(key).trim();
        if (s.isEmpty()) {
            throw fail(key, "must not be empty");
        }
        return s;
    }

    /** The trimmed value, or null when empty. */
    private String optional(ConfigKey key) {
        String s = values.get(key).trim();
        return s.isEmpty() ? null : s;
    }

    private String oneOf(ConfigKey key, List<String> allowed) throws ConfigException {
        String s = values.get(key).trim();
        if (!allowed.contains(s)) {
            throw fail(key, "must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
        }
        return s;
    }

    private boolean bool(ConfigKey key) throws ConfigException {
        String raw = values.get(key).trim();
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.toLowerCase(Locale.ROOT));
        }
        throw fail(key, "must be true or false, got '" + raw + "'");
    }

    private int integer(ConfigKey key, int min, int max) throws ConfigException {
        Integer n = optionalInteger(key, min, max);
        if (n == null) {
            throw fail(key, "must not be empty");
        }
        return n;
    }

    /** A whole number in [min, max], or null when empty. */
    private Integer optionalInteger(ConfigKey key, int min, int max) throws ConfigException {
        String raw = optional(key);
        if (raw == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw fail(key, "not a whole number: '" + raw + "'");
        }
        if (n < min || n > max) {
            throw fail(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
