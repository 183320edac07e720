package gateway.bridge.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.bridge.tools.Tool;
import gateway.bridge.tools.ToolInvocation;
import gateway.bridge.tools.ToolResult;
import gateway.realtime.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The gateway's own tools, which act on the call itself and answer at once on its loop: pausing and resuming the
 * recording (for the moments a caller reads out a card number), ending the call after the agent's goodbye, and
 * sending keys to the caller's side (to work another IVR). Later ones (transferring the call) register the same way.
 */
final class BuiltInTools {

    static final String PAUSE = "pause_recording";
    static final String RESUME = "resume_recording";
    static final String END_CALL = "end_call";
    static final String SEND_DTMF = "send_dtmf";
    /** A key held this long unless the model says otherwise: what a person's press lasts. */
    static final int DEFAULT_KEY_MS = 100;
    /** The bounds of a key's duration (RtpSession.sendDigits refuses others). */
    static final int MIN_KEY_MS = 40;
    static final int MAX_KEY_MS = 2_000;
    /** Keys one call of the tool may send: what the sender queues at most. */
    static final int MAX_KEYS = 64;
    private static final Pattern KEYS = Pattern.compile("[0-9*#A-Da-d]{1," + MAX_KEYS + "}");
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SessionSettings.Tool PAUSE_DEFINITION = new SessionSettings.Tool(PAUSE, "Pause the call recording"
            + " before the caller gives a payment card number, a security code or other sensitive data. The"
            + " conversation goes on; only the recording stops.");
    static final SessionSettings.Tool RESUME_DEFINITION = new SessionSettings.Tool(RESUME,
            "Resume the call recording once the sensitive part is over.");
    static final SessionSettings.Tool END_CALL_DEFINITION = new SessionSettings.Tool(END_CALL, "End the phone call"
            + " when the conversation is over. Say a short goodbye first, in the same turn: the call is hung up as"
            + " soon as what you said has been played to the caller.");
    static final SessionSettings.Tool SEND_DTMF_DEFINITION = new SessionSettings.Tool(SEND_DTMF, "Press keys on the"
            + " phone's keypad, as DTMF tones to the other side: to choose an option of an automated phone menu or"
            + " to enter a number it asks for. Say nothing while the keys are sent.",
            "{\"type\":\"object\",\"properties\":{\"digits\":{\"type\":\"string\",\"pattern\":\"^[0-9*#A-D]{1,"
            + MAX_KEYS + "}$\",\"description\":\"The keys to press, in order: 0-9, * and #, A-D.\"},"
            + "\"duration_ms\":{\"type\":\"integer\",\"minimum\":" + MIN_KEY_MS + ",\"maximum\":" + MAX_KEY_MS
            + ",\"description\":\"How long each key is held, in ms (default " + DEFAULT_KEY_MS + ").\"}},"
            + "\"required\":[\"digits\"]}");

    /** What the call does for its own tools. */
    interface Actions {

        /** Pauses ({@code paused} true) or resumes the recording; true if it changed. */
        boolean pauseRecording(boolean paused);

        /** Hangs up once the reply that called end_call has been played to the caller. */
        void endCall();

        /** Sends {@code keys} to the caller's side, each held {@code durationMs}; false if the media refused them. */
        boolean sendDigits(String keys, int durationMs);
    }

    private BuiltInTools() {
    }

    /** The definitions of the tools offered with these flags, in the order they are offered. */
    static List<SessionSettings.Tool> definitions(boolean pauseTools, boolean endCall, boolean sendDtmf) {
        List<SessionSettings.Tool> out = new ArrayList<>();
        if (pauseTools) {
            out.add(PAUSE_DEFINITION);
            out.add(RESUME_DEFINITION);
        }
        if (endCall) {
            out.add(END_CALL_DEFINITION);
        }
        if (sendDtmf) {
            out.add(SEND_DTMF_DEFINITION);
        }
        return out;
    }

    /** The tools offered with these flags, acting through {@code actions}. */
    static List<Tool> tools(boolean pauseTools, boolean endCall, boolean sendDtmf, Actions actions) {
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
        if (sendDtmf) {
            out.add(new SendDigits(actions));
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

    /**
     * send_dtmf: checks the model's keys and duration and hands them to the call's media, answering at once that they
     * are being sent (the agent's audio waits until the last one is out).
     */
    private record SendDigits(Actions actions) implements Tool {

        @Override
        public SessionSettings.Tool definition() {
            return SEND_DTMF_DEFINITION;
        }

        @Override
        public CompletableFuture<ToolResult> call(ToolInvocation invocation) {
            return CompletableFuture.completedFuture(send(invocation.arguments()));
        }

        private ToolResult send(String arguments) {
            JsonNode args;
            try {
                args = JSON.readTree(arguments.isBlank() ? "{}" : arguments);
            } catch (JsonProcessingException e) {
                args = null;
            }
            if (args == null || !args.isObject() || !args.path("digits").isTextual()
                    || !KEYS.matcher(args.path("digits").asText()).matches()) {
                return new ToolResult.Failure("invalid_arguments", "digits must be 1 to " + MAX_KEYS
                        + " of 0-9, *, #, A-D.");
            }
            JsonNode duration = args.path("duration_ms");
            int durationMs = duration.isMissingNode() || duration.isNull() ? DEFAULT_KEY_MS : duration.asInt(-1);
            if (!duration.isMissingNode() && !duration.isNull() && !duration.canConvertToInt()
                    || durationMs < MIN_KEY_MS || durationMs > MAX_KEY_MS) {
                return new ToolResult.Failure("invalid_arguments", "duration_ms must be " + MIN_KEY_MS + " to "
                        + MAX_KEY_MS + ".");
            }
            String keys = args.path("digits").asText().toUpperCase(Locale.ROOT);
            if (!actions.sendDigits(keys, durationMs)) {
                return new ToolResult.Failure("not_sent", "The keys cannot be sent on this call now.");
            }
            ObjectNode output = JSON.createObjectNode();
            output.put("sending", keys).put("duration_ms", durationMs);
            return new ToolResult.Success(output.toString());
        }
    }

    /** A tool that acts at once on the call's loop. */
    private record Immediate(SessionSettings.Tool definition, Action action) implements Tool {
        @Override
        public CompletableFuture<ToolResult> call(ToolInvocation invocation) {
            return CompletableFuture.completedFuture(new ToolResult.Success(action.run()));
        }
    }
}
