package gateway.sip;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One inbound call: the INVITE server transaction and the dialog it creates (RFC 3261 §12, §13.3).
 * All methods may be called from any thread; they hop to the SIP event loop internally.
 */
public interface InboundCall {

    String callId();

    /** URI of the From header (the caller). */
    String fromUri();

    /** URI of the To header (the called party). */
    String toUri();

    /** Full From header value as received. */
    String fromHeader();

    /** Full To header value as received. */
    String toHeader();

    /** Transport-level source of the INVITE. */
    InetSocketAddress source();

    /**
     * The media negotiated from the INVITE's SDP offer; empty for an INVITE without SDP (a late offer, RFC 3261
     * §13.2.1): our offer then goes in the 200 and the caller's answer, from the ACK, reaches
     * {@link CallListener#onMediaChanged}.
     */
    Optional<NegotiatedMedia> offeredMedia();

    /** Sets the receiver of call events; set it before answering. */
    void setListener(CallListener listener);

    /** Sends 180 Ringing (with our To-tag); ignored once a final response was sent. */
    void ringing();

    /**
     * Sends 200 OK with our SDP for RTP at {@code publicHost:rtpPort}: the answer to the caller's offer, or our
     * offer when the INVITE had none. Retransmitted on UDP until the ACK. Completes on the SIP loop: true if the
     * 200 went out, false if the call had already ended (e.g. CANCEL won).
     */
    CompletableFuture<Boolean> answer(String publicHost, int rtpPort);

    /** Sends a final non-2xx response (300-699) before answering; ignored afterwards. */
    void reject(int status, String reason);

    /**
     * As {@link #reject(int, String)}, with a Retry-After header (RFC 3261 §20.33) telling the caller when to try
     * again, e.g. on a 503 for overload (§21.5.4).
     */
    void reject(int status, String reason, int retryAfterSeconds);

    /** Ends the call: BYE once answered (after the ACK arrived), 480 before answering; idempotent. */
    void hangup();
}
