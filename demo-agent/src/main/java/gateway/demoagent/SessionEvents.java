package gateway.demoagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * Event dispatch for one session (docs/realtime-protocol.md §3): reads each client event, checks it as the service
 * does ({@link ClientEventCheck}, {@link SessionCheck}, {@link ClientItems}) and hands it to the part that acts on
 * it: the session's configuration, the caller's turns ({@link InputTurns}) or the responses ({@link Responses}).
 * Whatever is refused gets one {@code error} and changes nothing.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class SessionEvents {

    private final SessionConfig config;
    private final EventSink out;
    private final BiConsumer<String, String> received;
    private final Conversation conversation;
    private final Responses responses;
    private final InputTurns turns;
    private final DemoConnection view;

    /** {@code received} records each frame's type and text as it arrives, before it is checked. */
    SessionEvents(SessionConfig config, DemoScript script, DemoConnection view, EventSink out,
                  ScheduledExecutorService loop, BiConsumer<String, String> received) {
        this.config = config;
        this.out = out;
        this.received = received;
        this.view = view;
        this.conversation = new Conversation(view::conversation);
        this.responses = new Responses(script, config, conversation, view, out, loop);
        this.turns = new InputTurns(script, config, conversation, view, out, loop, responses);
    }

    /** Announces the session: {@code session.created} (§1). */
    void start() {
        ObjectNode created = DemoEvents.event("session.created");
        created.set("session", config.session());
        out.send(created);
    }

    /** Stops the reply being spoken: the socket is closing. */
    void stop() {
        responses.stop();
    }

    /** One text frame; it is recorded always and acted on only while {@code live}. */
    void onText(String text, boolean live) {
        JsonNode event;
        try {
            event = DemoEvents.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            received.accept("(invalid json)", text);
            if (live) {
                out.refuse(new InvalidEvent("invalid_json", null, "The server could not parse the event as JSON."),
                        null);
            }
            return;
        }
        JsonNode typeNode = event.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        received.accept(type == null ? "(no type)" : type, text);
        if (!live) {
            return;
        }
        String eventId = ClientEventCheck.eventIdOf(event);
        try {
            if (type == null) {
                FieldCheck.string(FieldCheck.required(event, "", "type"), "type");
            }
            ClientEventCheck.check(type, event);
            dispatch(type, event);
        } catch (InvalidEvent refusal) {
            out.refuse(refusal, eventId);
        }
    }

    private void dispatch(String type, JsonNode event) throws InvalidEvent {
        switch (type) {
            case "session.update" -> sessionUpdate((ObjectNode) event.get("session"));
            case "input_audio_buffer.append" -> turns.append(event.get("audio").asText());
            case "input_audio_buffer.commit" -> turns.commit();
            case "input_audio_buffer.clear" -> turns.clear();
            case "conversation.item.create" -> createItem(event);
            case "conversation.item.truncate" -> responses.truncate(event.get("item_id").asText(),
                    event.get("content_index").asInt(), event.get("audio_end_ms").asLong());
            case "response.create" -> responses.create(instructionsOf(event.get("response")));
            case "response.cancel" -> responses.cancel();
            default -> throw new IllegalStateException("checked types only: " + type);
        }
    }

    /** The per-response instructions of a response.create (§3), or null when it has none. */
    private static String instructionsOf(JsonNode response) throws InvalidEvent {
        JsonNode instructions = response == null || response.isNull() ? null : response.get("instructions");
        if (instructions == null || instructions.isNull()) {
            return null;
        }
        return FieldCheck.string(instructions, "response.instructions");
    }

    /** §2: the whole update is checked before any of it is applied; the answer is the whole session. */
    private void sessionUpdate(ObjectNode update) throws InvalidEvent {
        SessionCheck.check(update, config.session());
        config.update(update);
        ObjectNode updated = DemoEvents.event("session.updated");
        updated.set("session", config.session());
        out.send(updated);
    }

    /**
     * §3: an item from the client goes into the conversation (after {@code previous_item_id}: absent or null is the
     * end, {@code root} the start) and is announced with conversation.item.added and .done; a tool's result is
     * also noted on the call it answers (§5.4).
     */
    private void createItem(JsonNode event) throws InvalidEvent {
        JsonNode previousNode = event.get("previous_item_id");
        String after = previousNode == null || previousNode.isNull() ? null : previousNode.asText();
        ObjectNode item = ClientItems.read(event.get("item"), conversation);
        if (after != null && !Conversation.ROOT.equals(after) && !conversation.contains(after)) {
            throw new InvalidEvent("invalid_value", "previous_item_id", "Invalid value: previous_item_id '"
                    + after + "' is not an item of this conversation.");
        }
        String previous = conversation.insert(item.deepCopy(), after);
        if ("function_call_output".equals(item.path("type").asText())) {
            view.toolAnswered(item.path("call_id").asText(), item.path("output").asText());
        }
        DemoEvents.announceItem(out, previous, item);
    }
}
