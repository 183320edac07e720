package gateway.bridge.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.realtime.ServerEvent;

/**
 * The live listeners' view of the session's events: the caller's speech starting and stopping, the agent's replies
 * starting and ending, and each side's transcript, as JSON with the recording time. While recording is paused a
 * transcript's text is withheld, as the recording withholds the audio. Stateless.
 */
final class ListenEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListenEvents() {
    }

    /** The event for listeners, or null when they are not told of it. */
    static String of(ServerEvent event, long atMs, boolean paused) {
        ObjectNode node = switch (event) {
            case ServerEvent.SpeechStarted started -> type("caller_speech_started", atMs);
            case ServerEvent.SpeechStopped stopped -> type("caller_speech_stopped", atMs);
            case ServerEvent.ResponseCreated created -> type("agent_reply_started", atMs);
            case ServerEvent.ResponseDone done -> type("agent_reply_done", atMs).put("status", done.status());
            case ServerEvent.InputTranscriptionCompleted t -> transcript("caller", t.transcript(), atMs, paused);
            case ServerEvent.OutputAudioTranscriptDone t -> transcript("assistant", t.transcript(), atMs, paused);
            default -> null;
        };
        return node == null ? null : node.toString();
    }

    private static ObjectNode type(String type, long atMs) {
        return MAPPER.createObjectNode().put("type", type).put("at_ms", atMs);
    }

    private static ObjectNode transcript(String role, String text, long atMs, boolean paused) {
        return type("transcript", atMs).put("role", role).put("text", paused ? RecordingLeg.NOT_RECORDED : text);
    }
}
