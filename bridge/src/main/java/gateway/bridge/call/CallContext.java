package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.realtime.SessionSettings;
import gateway.recorder.RecordingService;
import java.time.InstantSource;

/**
 * The process-wide things every call uses.
 *
 * @param publicHost the host our SDP gives for RTP
 * @param session    what each Realtime session is told (instructions, voice, transcription)
 * @param policy     how the Realtime session is kept up (timeouts, rollover, reconnect, context size)
 * @param wallClock  wall time: call.json times and the sessions' {@code expires_at}
 * @param consent    the recording-consent announcement played before the agent speaks, or null
 * @param dtmfToModel whether the model is told the keys the caller presses
 */
public record CallContext(String publicHost, SessionSettings session, RealtimePolicy policy,
                          RecordingService recordings, GatewayMetrics metrics, InstantSource wallClock,
                          ConsentPrompt consent, boolean dtmfToModel) {
}
