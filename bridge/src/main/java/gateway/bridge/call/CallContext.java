package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.TranscriptRedactor;
import gateway.recorder.RecordingService;
import java.time.InstantSource;

/**
 * The process-wide things every call uses.
 *
 * @param publicHost the host our SDP gives for RTP
 * @param profiles   which agent a call gets (its routing profile): what each Realtime session is told, the
 *                   greeting, the silence prompts and the tools; or none, for a number refused with 404
 * @param policy     how the Realtime session is kept up (timeouts, rollover, reconnect, context size)
 * @param wallClock  wall time: call.json times and the sessions' {@code expires_at}
 * @param consent    the recording-consent announcement played before the agent speaks, or null
 * @param answerDelayMs the least time from the INVITE to our 200 OK ({@code sip.answer-delay-ms}), 0 for none
 * @param observer   told of every call's milestones (call events); {@link CallObserver#NONE} for none
 * @param redactor   what is masked in the transcripts stored and told to live listeners
 */
public record CallContext(String publicHost, ProfileRouter profiles, RealtimePolicy policy,
                          RecordingService recordings, GatewayMetrics metrics, InstantSource wallClock,
                          ConsentPrompt consent, int answerDelayMs, CallObserver observer,
                          TranscriptRedactor redactor) {

    public CallContext {
        observer = observer == null ? CallObserver.NONE : observer;
        redactor = redactor == null ? TranscriptRedactor.NONE : redactor;
    }

    /** A context whose transcripts are stored as said. */
    public CallContext(String publicHost, ProfileRouter profiles, RealtimePolicy policy, RecordingService recordings,
                       GatewayMetrics metrics, InstantSource wallClock, ConsentPrompt consent, int answerDelayMs,
                       CallObserver observer) {
        this(publicHost, profiles, policy, recordings, metrics, wallClock, consent, answerDelayMs, observer, null);
    }

    /** A context whose calls nobody observes. */
    public CallContext(String publicHost, ProfileRouter profiles, RealtimePolicy policy, RecordingService recordings,
                       GatewayMetrics metrics, InstantSource wallClock, ConsentPrompt consent, int answerDelayMs) {
        this(publicHost, profiles, policy, recordings, metrics, wallClock, consent, answerDelayMs, CallObserver.NONE);
    }
}
