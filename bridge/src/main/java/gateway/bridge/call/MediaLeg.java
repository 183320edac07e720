package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallQuality;
import gateway.rtp.RtpStreamSpec;

/**
 * The call's media leg: where the caller's audio comes from and the agent's goes to, delivered to the call as a
 * {@link gateway.rtp.MediaListener}. A phone call's is RTP ({@link RtpMediaLeg}); a replay's is a recorded caller
 * channel with the agent's audio recorded and discarded ({@link ReplayMediaLeg}). Call's loop only.
 */
sealed interface MediaLeg permits RtpMediaLeg, ReplayMediaLeg {

    /** The local RTP port put in our SDP; 0 when there is no socket. */
    int port();

    /** Sets sample 0 of the call timeline and starts pacing. */
    void start(long answerNanos);

    /** Applies a new negotiated stream (re-INVITE, UPDATE, the answer to a late offer); same spec: nothing. */
    void update(RtpStreamSpec next);

    /** Agent audio has just become available: start its talkspurt without waiting for the next tick. */
    void playoutReady();

    /** Arrival time of the caller audio being handled (for the inbound latency figure). */
    long lastReceiveNanos();

    /** Starts sending {@code keys} to the caller as RFC 4733 events; false when they cannot be sent. */
    boolean sendDigits(String keys, int durationMs);

    /** The media's quality so far for call.json, or null when there is none to measure. */
    CallQuality quality();

    /** Adds what the leg carried to the gateway's totals, once, after {@link #close}. */
    void countInto(GatewayMetrics metrics);

    /** Stops the leg and gives back what it holds; idempotent. */
    void close();
}
