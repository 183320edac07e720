package gateway.bridge.call;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why a call ended; written to call.json and counted in the metrics. */
public enum EndReason {
    /** The caller sent BYE. */
    CALLER_BYE,
    /** The caller sent CANCEL before the gateway answered. */
    CANCELLED,
    /** The gateway answered but no ACK came (RFC 3261 §13.3.1.4, timer H). */
    ACK_TIMEOUT,
    /** The session timer ran out without a refresh (RFC 4028 §10); the gateway sent BYE. */
    SESSION_TIMER_EXPIRED,
    /** No Realtime session could be opened in time; the call was rejected with 503. */
    REALTIME_UNAVAILABLE,
    /** The Realtime session failed during the call and no new one could be opened; the gateway sent BYE. */
    REALTIME_LOST,
    /** The caller's answer to the gateway's SDP offer (in the ACK of a late offer) was missing or unusable. */
    MEDIA_NEGOTIATION_FAILED,
    /** The gateway is shutting down. */
    SHUTDOWN,
    /** No RTP port was free; the call was rejected with 503. */
    NO_MEDIA_PORT,
    /** The call's recording could not be created (recordings directory unwritable); the call was rejected with 503. */
    RECORDING_UNAVAILABLE,
    /** An unexpected error in the gateway ended this call (and only this call). */
    INTERNAL_ERROR,
    /** The SIP dialog ended without a BYE or CANCEL the gateway saw (e.g. the server was closed under it). */
    SIP_TERMINATED,
    /** The model called end_call: its goodbye was played, then the gateway sent BYE. */
    AGENT_HANGUP,
    /** The caller said nothing through the agent's prompts: the agent said goodbye and the gateway sent BYE. */
    CALLER_SILENT,
    /** The caller sent no RTP or RTCP for {@code rtp.timeout-seconds} while not on hold; the gateway sent BYE. */
    RTP_TIMEOUT,
    /** A supervisor hung up through the active calls API; the gateway sent BYE. */
    API_HANGUP,
    /** The caller was transferred (transfer_call or an operator): the transferee answered, the gateway sent BYE. */
    TRANSFERRED,
    /** No Realtime session could be had: {@code agent.fallback-transfer} took the caller (302, or REFER then BYE). */
    FALLBACK_TRANSFERRED,
    /** A replay ({@code ./gateway replay}) fed the recorded caller channel to its end, where the original ended. */
    REPLAY_END;

    /** True when the gateway must send BYE itself: the caller did not end the dialog. */
    boolean gatewayHangsUp() {
        return this != CALLER_BYE && this != CANCELLED && this != SIP_TERMINATED;
    }

    /** The snake_case name used in call.json and metric tags. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every reason's {@link #label()}, in declaration order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(EndReason::label).toList();
    }
}
