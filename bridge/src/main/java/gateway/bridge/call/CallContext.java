package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.recorder.RecordingService;
import java.time.InstantSource;

/**
 * The process-wide things every call uses.
 *
 * @param publicHost the host our SDP gives for RTP
 * @param agent      the agent every call gets: what each Realtime session is told, the greeting, the silence
 *                   prompts and the tools (read per call, so a routing profile can replace it whole)
 * @param policy     how the Realtime session is kept up (timeouts, rollover, reconnect, context size)
 * @param wallClock  wall time: call.json times and the sessions' {@code expires_at}
 * @param consent    the recording-consent announcement played before the agent speaks, or null
 * @param dtmfToModel whether the model is told the keys the caller presses
 * @param answerDelayMs the least time from the INVITE to our 200 OK ({@code sip.answer-delay-ms}), 0 for none
 * @param observer   told of every call's milestones (call events); {@link CallObserver#NONE} for none
 */
public record CallContext(String publicHost, AgentProfile agent, RealtimePolicy policy,
                          RecordingService recordings, GatewayMetrics metrics, InstantSource wallClock,
                          ConsentPrompt consent, boolean dtmfToModel, int answerDelayMs, CallObserver observer) {

    public CallContext {
        observer = observer == null ? CallObserver.NONE : observer;
    }

    /** A context whose calls nobody observes. */
    public CallContext(String publicHost, AgentProfile agent, RealtimePolicy policy, RecordingService recordings,
                       GatewayMetrics metrics, InstantSource wallClock, ConsentPrompt consent, boolean dtmfToModel,
                       int answerDelayMs) {
        this(publicHost, agent, policy, recordings, metrics, wallClock, consent, dtmfToModel, answerDelayMs,
                CallObserver.NONE);
    }
}
