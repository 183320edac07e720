package gateway.bridge.call;

import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The functions the model may call on a call (docs/realtime-protocol.md §5.4): pausing and resuming the recording,
 * for the moments a caller reads out a card number. A call is run once, on {@code function_call_arguments.done};
 * its output goes back as a {@code function_call_output} item and a new {@code response.create} once that
 * response is done (sending it earlier gets {@code conversation_already_has_active_response}). Call's loop only.
 */
public final class RecordingTools {

    static final String PAUSE = "pause_recording";
    static final String RESUME = "resume_recording";

    /** The tools as offered in session.update. */
    public static final List<SessionSettings.Tool> DEFINITIONS = List.of(
            new SessionSettings.Tool(PAUSE, "Pause the call recording before the caller gives a payment card number,"
                    + " a security code or other sensitive data. The conversation goes on; only the recording stops."),
            new SessionSettings.Tool(RESUME, "Resume the call recording once the sensitive part is over."));

    /** What the call does for the tools: pauses ({@code paused} true) or resumes the recording; true if it changed. */
    @FunctionalInterface
    interface Actions {
        boolean pauseRecording(boolean paused);
    }

    private final Actions actions;
    private final List<Pending> pending = new ArrayList<>();

    /** An answered call whose output waits for its response to be done. */
    private record Pending(String responseId, ClientEvent.ConversationItem.FunctionCallOutput output) {
    }

    RecordingTools(Actions actions) {
        this.actions = actions;
    }

    /** Runs a called function; its output is sent when {@code done} of its response arrives. */
    void called(ServerEvent.FunctionCallArgumentsDone call) {
        String output = switch (String.valueOf(call.name())) {
            case PAUSE -> result(actions.pauseRecording(true), "paused");
            case RESUME -> result(actions.pauseRecording(false), "recording");
            default -> "{\"error\":\"unknown function: " + jsonSafe(call.name()) + "\"}";
        };
        if (call.callId() != null) {
            pending.add(new Pending(call.responseId(), new ClientEvent.ConversationItem.FunctionCallOutput(
                    call.callId(), output)));
        }
    }

    /** {@code response.done}: the outputs of its calls, then a new response so the model goes on. */
    List<ClientEvent> responseDone(String responseId) {
        List<ClientEvent> out = new ArrayList<>();
        pending.removeIf(p -> {
            if (p.responseId() == null || p.responseId().equals(responseId)) {
                out.add(new ClientEvent.ConversationItemCreate(p.output()));
                return true;
            }
            return false;
        });
        if (!out.isEmpty()) {
            out.add(new ClientEvent.ResponseCreate());
        }
        return out;
    }

    private static String result(boolean changed, String state) {
        return "{\"recording\":\"" + state + "\",\"changed\":" + changed + "}";
    }

    private static String jsonSafe(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : String.valueOf(text).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
