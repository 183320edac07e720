package gateway.bridge.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.realtime.ServerEvent;
import java.util.function.UnaryOperator;

/**
 * The live listeners' view of the session's events: the caller's speech starting and stopping, the agent's replies
 * starting and ending, and each side's transcript, as JSON with the recording time. A transcript's text is what the
 * recording keeps of it: withheld while recording is paused, as the recording withholds the audio, and with card
 * numbers and configured patterns masked ({@link RecordingLeg#liveTranscript}). Stateless.
 */
final class ListenEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListenEvents() {
    }

    /** The event for listeners, or null when they are not told of it; {@code told} turns a transcript into its text. */
    static String of(ServerEvent event, long atMs, UnaryOperator<String> told) {
        ObjectNode node = switch (event) {
            case ServerEvent.SpeechStarted started -> type("caller_speech_started", atMs);
            case ServerEvent.SpeechStopped stopped -> type("caller_speech_stopped", atMs);
            case ServerEvent.ResponseCreated created -> type("agent_reply_started", atMs);
            case ServerEvent.ResponseDone done -> type("agent_reply_done", atMs).put("status", done.status());
            case ServerEvent.InputTranscriptionCompleted t -> transcript("caller", told.apply(t.transcript()), atMs);
            case ServerEvent.OutputAudioTranscriptDone t -> transcript("assistant", told.apply(t.transcript()), atMs);
            default -> null;
        };
        return node == null ? null : node.toString();
    }

    private static ObjectNode type(String type, long atMs) {
        return MAPPER.createObjectNode().put("type", type).put("at_ms", atMs);
    }

    private static ObjectNode transcript(String role, String text, long atMs) {
        return type("transcript", atMs).put("role", role).put("text", text);
    }
}
