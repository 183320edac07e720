package gateway.bridge.call;

import gateway.bridge.tools.Tool;
import gateway.bridge.tools.ToolInvocation;
import gateway.bridge.tools.ToolResult;
import gateway.realtime.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's own tools, which act on the call itself and answer at once on its loop: pausing and resuming the
 * recording (for the moments a caller reads out a card number) and ending the call after the agent's goodbye.
 * Later ones (transferring the call, sending DTMF) register the same way.
 */
final class BuiltInTools {

    static final String PAUSE = "pause_recording";
    static final String RESUME = "resume_recording";
    static final String END_CALL = "end_call";

    static final SessionSettings.Tool PAUSE_DEFINITION = new SessionSettings.Tool(PAUSE, "Pause the call recording"
            + " before the caller gives a payment card number, a security code or other sensitive data. The"
            + " conversation goes on; only the recording stops.");
    static final SessionSettings.Tool RESUME_DEFINITION = new SessionSettings.Tool(RESUME,
            "Resume the call recording once the sensitive part is over.");
    static final SessionSettings.Tool END_CALL_DEFINITION = new SessionSettings.Tool(END_CALL, "End the phone call"
            + " when the conversation is over. Say a short goodbye first, in the same turn: the call is hung up as"
            + " soon as what you said has been played to the caller.");

    /** What the call does for its own tools. */
    interface Actions {

        /** Pauses ({@code paused} true) or resumes the recording; true if it changed. */
        boolean pauseRecording(boolean paused);

        /** Hangs up once the reply that called end_call has been played to the caller. */
        void endCall();
    }

    private BuiltInTools() {
    }

    /** The definitions of the tools offered with these flags, in the order they are offered. */
    static List<SessionSettings.Tool> definitions(boolean pauseTools, boolean endCall) {
        List<SessionSettings.Tool> out = new ArrayList<>();
        if (pauseTools) {
            out.add(PAUSE_DEFINITION);
            out.add(RESUME_DEFINITION);
        }
        if (endCall) {
            out.add(END_CALL_DEFINITION);
        }
        return out;
    }

    /** The tools offered with these flags, acting through {@code actions}. */
    static List<Tool> tools(boolean pauseTools, boolean endCall, Actions actions) {
        List<Tool> out = new ArrayList<>();
        if (pauseTools) {
            out.add(new Immediate(PAUSE_DEFINITION, () -> recording(actions.pauseRecording(true), "paused")));
            out.add(new Immediate(RESUME_DEFINITION, () -> recording(actions.pauseRecording(false), "recording")));
        }
        if (endCall) {
            out.add(new Immediate(END_CALL_DEFINITION, () -> {
                actions.endCall();
                return "{\"call\":\"ending\"}";
            }));
        }
        return out;
    }

    private static String recording(boolean changed, String state) {
        return "{\"recording\":\"" + state + "\",\"changed\":" + changed + "}";
    }

    /** What a tool of the gateway's own does, on the call's loop; returns its output, JSON text. */
    @FunctionalInterface
    private interface Action {
        String run();
    }

    /** A tool that acts at once on the call's loop. */
    private record Immediate(SessionSettings.Tool definition, Action action) implements Tool {
        @Override
        public CompletableFuture<ToolResult> call(ToolInvocation invocation) {
            return CompletableFuture.completedFuture(new ToolResult.Success(action.run()));
        }
    }
}
