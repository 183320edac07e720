package gateway.sip;

import gateway.transport.CallLogContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One inbound call: the INVITE server transaction and the dialog it creates (RFC 3261 §12, §13.3).
 * All methods may be called from any thread; they hop to the SIP event loop internally.
 */
public interface InboundCall {

    String callId();

    /**
     * From now on every line the SIP layer writes about this call (its requests, retransmissions, timers) carries
     * {@code ids}, the ids the layer above logs the call with. Any thread. A test double may ignore it.
     */
    default void logAs(CallLogContext.Ids ids) {
    }

    /** URI of the From header (the caller). */
    String fromUri();

    /** URI of the To header (the called party). */
    String toUri();

    /** Full From header value as received. */
    String fromHeader();

    /** Full To header value as received. */
    String toHeader();

    /** The INVITE's Request-URI (RFC 3261 §8.1.1.1): whom the caller's side routed the call to. */
    String requestUri();

    /**
     * The values of the INVITE's header {@code name} (any case), in order, one per header field as received
     * (RFC 3261 §7.3.1); empty when it has none.
     */
    List<String> headerValues(String name);

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

    /**
     * Sends 180 Ringing (with our To-tag), reliably (RFC 3262) when the caller supports it; ignored once a final
     * response was sent. An INVITE without SDP that requires 100rel gets no 180: the first reliable response must carry
     * our offer (RFC 3261 §13.2.1), and that is the 200.
     */
    void ringing();

    /**
     * Early media (RFC 3960): sends 183 Session Progress with our answer to the INVITE's offer for RTP at
     * {@code publicHost:rtpPort}, reliably when the caller supports 100rel; the 200 later repeats it, and waits for the
     * 183's PRACK when it was sent reliably (RFC 3262 §3). Completes on the SIP loop: true if the 183 went out, false
     * when the INVITE had no offer (a late offer: our offer may not go in an unreliable provisional) or the call is
     * past ringing.
     */
    CompletableFuture<Boolean> earlyMedia(String publicHost, int rtpPort);

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

    /**
     * Redirects the call before the answer: 302 Moved Temporarily with {@code Contact: <target>} (RFC 3261 §21.3.3),
     * so the caller's side calls {@code target} instead; ignored once a final response was sent.
     */
    void redirect(String target);

    /**
     * Sends REFER in the confirmed dialog (RFC 3515 §2.4, a blind transfer as RFC 5589 §6 describes) along the route
     * set, with {@code Refer-To: referTo} and {@code Referred-By: referredBy} (header values, e.g.
     * {@code <sip:queue@pbx.example?X-Call-Id=abc>}). Completes on the SIP loop with the REFER's final status code
     * (202 when accepted), 408 when none came, or 481 when the dialog is not confirmed. The progress arrives as
     * NOTIFYs ({@link CallListener#onNotify}).
     */
    CompletableFuture<Integer> refer(String referTo, String referredBy);

    /** Ends the call: BYE once answered (after the ACK arrived), 480 before answering; idempotent. */
    void hangup();
}
