package gateway.demoagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The session as the agent runs it (docs/realtime-protocol.md §2): the object {@code session.created} announced,
 * changed by each accepted {@code session.update}, and what the other parts read from it.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class SessionConfig {

    /** The service's documented default for {@code silence_duration_ms} (§2), also for semantic VAD here. */
    static final long DEFAULT_SILENCE_MS = 500;
    static final long DEFAULT_PREFIX_PADDING_MS = 300;

    private final ObjectNode session;

    SessionConfig(ObjectNode session) {
        this.session = session;
    }

    /** The whole session, as {@code session.created} and {@code session.updated} carry it. */
    ObjectNode session() {
        return session;
    }

    /**
     * Applies an update {@link SessionCheck} passed (§2): objects merge field by field, anything else replaces; a
     * {@code turn_detection} object replaces the old one whole, its omitted fields taking their defaults, and a
     * {@code format} object replaces the old one whole (audio/pcmu has no rate).
     */
    void update(ObjectNode update) {
        merge(session, update);
        for (String direction : new String[] {"input", "output"}) {
            JsonNode format = update.path("audio").path(direction).path("format");
            if (format.isObject()) {
                ((ObjectNode) session.path("audio").path(direction)).set("format", format.deepCopy());
            }
        }
        JsonNode vad = update.path("audio").path("input").path("turn_detection");
        if (vad.isObject()) {
            ((ObjectNode) session.path("audio").path("input")).set("turn_detection", withDefaults((ObjectNode) vad));
        }
    }

    private static void merge(ObjectNode target, ObjectNode update) {
        update.properties().forEach(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode into && field.getValue() instanceof ObjectNode from) {
                merge(into, from);
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    /** A turn-detection object with every field of its type, as {@code session.updated} shows it. */
    static ObjectNode withDefaults(ObjectNode vad) {
        ObjectNode full = DemoEvents.MAPPER.createObjectNode();
        String type = vad.path("type").asText();
        full.put("type", type);
        if (type.equals("server_vad")) {
            full.put("threshold", 0.5);
            full.put("prefix_padding_ms", DEFAULT_PREFIX_PADDING_MS);
            full.put("silence_duration_ms", DEFAULT_SILENCE_MS);
            full.putNull("idle_timeout_ms");
        } else {
            full.put("eagerness", "auto");
        }
        full.put("create_response", true);
        full.put("interrupt_response", true);
        full.setAll(vad.deepCopy());
        return full;
    }

    private JsonNode turnDetection() {
        return session.path("audio").path("input").path("turn_detection");
    }

    /** True while the server detects turns (server or semantic VAD); false when the client commits itself. */
    boolean detectsTurns() {
        return turnDetection().isObject();
    }

    long silenceMs() {
        return turnDetection().path("silence_duration_ms").asLong(DEFAULT_SILENCE_MS);
    }

    long prefixPaddingMs() {
        return turnDetection().path("prefix_padding_ms").asLong(DEFAULT_PREFIX_PADDING_MS);
    }

    boolean createsResponses() {
        return turnDetection().path("create_response").asBoolean(true);
    }

    boolean interruptsResponses() {
        return turnDetection().path("interrupt_response").asBoolean(true);
    }

    /** True when caller transcripts are asked for (§5.3). */
    boolean transcribes() {
        return session.path("audio").path("input").path("transcription").isObject();
    }

    /** The session's instructions, or null. */
    String instructions() {
        JsonNode text = session.path("instructions");
        return text.isTextual() ? text.asText() : null;
    }

    /** The {@code type} of the input audio format: audio/pcm, audio/pcmu or audio/pcma. */
    String inputFormat() {
        return session.path("audio").path("input").path("format").path("type").asText(AudioCoding.PCM);
    }

    /** The {@code type} of the output audio format, in which replies are spoken. */
    String outputFormat() {
        return session.path("audio").path("output").path("format").path("type").asText(AudioCoding.PCM);
    }

    String voice() {
        return session.path("audio").path("output").path("voice").asText("alloy");
    }

    /** True when a function tool of this name is declared. */
    boolean declaresTool(String name) {
        for (JsonNode tool : session.path("tools")) {
            if (name.equals(tool.path("name").asText())) {
                return true;
            }
        }
        return false;
    }
}
