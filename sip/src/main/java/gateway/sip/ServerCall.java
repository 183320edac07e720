package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One inbound call: the INVITE that created it and its dialog (RFC 3261 §12, §13.3, §14, §15), with the
 * offer/answer of its session (RFC 3264, RFC 3311).
 *
 * <p>Threading: the {@link InboundCall} methods may be called from any thread and hop to the SIP event loop;
 * everything else runs on that loop, and so do all {@link CallListener} callbacks.
 */
final class ServerCall implements InboundCall {

    private static final System.Logger LOG = System.getLogger(ServerCall.class.getName());

    /** Upper bound of the random Retry-After on a 500 for overlapping requests (RFC 3261 §14.2, RFC 3311 §5.2). */
    static final int OVERLAP_RETRY_AFTER_MAX_SECONDS = 10;

    enum State { EARLY, ANSWERED, CONFIRMED, ENDING, TERMINATED }

    private final SipCore core;
    private final InviteServerTransaction invite;
    private final Dialog dialog;
    private final MediaSession media;
    private volatile CallListener listener = CallListener.NONE;
    private State state = State.EARLY;
    private SipPeer peer;
    private PendingAck pendingAck;
    private boolean byePending;
    private NonInviteClientTransaction bye;

    ServerCall(SipCore core, InviteServerTransaction invite, Dialog dialog, MediaSession media) {
        this.core = core;
        this.invite = invite;
        this.dialog = dialog;
        this.media = media;
        this.peer = invite.peer();
    }

    Dialog dialog() {
        return dialog;
    }

    String localTag() {
        return dialog.id().localTag();
    }

    State state() {
        return state;
    }

    private SIPRequest request() {
        return invite.request();
    }

    @Override
    public String callId() {
        return dialog.id().callId();
    }

    @Override
    public String fromUri() {
        return request().getFrom().getAddress().getURI().toString();
    }

    @Override
    public String toUri() {
        return request().getTo().getAddress().getURI().toString();
    }

    @Override
    public String fromHeader() {
        return ((gov.nist.javax.sip.header.From) request().getFrom()).getHeaderValue();
    }

    @Override
    public String toHeader() {
        return ((gov.nist.javax.sip.header.To) request().getTo()).getHeaderValue();
    }

    @Override
    public InetSocketAddress source() {
        return invite.peer().remote();
    }

    @Override
    public Optional<NegotiatedMedia> offeredMedia() {
        return media.initialOffer();
    }

    @Override
    public void setListener(CallListener l) {
        listener = l == null ? CallListener.NONE : l;
    }

    @Override
    public void ringing() {
        core.onLoop(() -> {
            if (state == State.EARLY) {
                invite.respond(withContact(core.messages().response(request(), 180, null, localTag()), invite));
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> answer(String publicHost, int rtpPort) {
        Objects.requireNonNull(publicHost, "publicHost");
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        core.onLoop(() -> {
            if (state != State.EARLY) {
                sent.complete(false);
                return;
            }
            state = State.ANSWERED;
            sendOk(invite, media.firstSdp(publicHost, rtpPort));
            sent.complete(true);
        });
        return sent;
    }

    @Override
    public void reject(int status, String reason) {
        reject(status, reason, -1);
    }

    @Override
    public void reject(int status, String reason, int retryAfterSeconds) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject needs a 300-699 status: " + status);
        }
        core.onLoop(() -> {
            if (state == State.EARLY) {
                SIPResponse response = core.messages().response(request(), status, reason, localTag());
                if (retryAfterSeconds >= 0) {
                    core.messages().addRetryAfter(response, retryAfterSeconds);
                }
                invite.respond(response);
                terminated();
            }
        });
    }

    @Override
    public void hangup() {
        core.onLoop(() -> {
            switch (state) {
                case EARLY -> {
                    invite.respond(core.messages().response(request(), 480, "Temporarily Unavailable", localTag()));
                    terminated();
                }
                // RFC 3261 §15: no BYE on a confirmed dialog before the ACK arrived or the 2xx timed out.
                case ANSWERED -> byePending = true;
                case CONFIRMED -> sendBye();
                default -> { }
            }
        });
    }

    /** The remote spoke through {@code from}: on TCP our requests use that connection while it is open. */
    void heardFrom(SipPeer from) {
        peer = from;
    }

    /**
     * An ACK in this dialog (§13.3.1.4): ends the retransmission of the 2xx it acknowledges and carries the answer
     * when that 2xx had our offer (RFC 3264 §5); other ACKs (stale or retransmitted) are ignored.
     */
    void onAck(SIPRequest ack) {
        if (pendingAck == null || !pendingAck.matches(ack.getCSeq().getSeqNumber())) {
            return;
        }
        stopPendingAck();
        MediaSession.Outcome outcome = media.offerSent() ? media.takeAnswer(sdpOf(ack)) : null;
        if (state == State.ANSWERED) {
            state = State.CONFIRMED;
            if (outcome instanceof MediaSession.Settled settled) {
                listener.onMediaChanged(settled.media());
            }
            listener.onAck();
            if (outcome instanceof MediaSession.Failed failed) {
                listener.onMediaFailed(failed.reason());
            }
            if (byePending) {
                sendBye();
            }
        } else if (outcome instanceof MediaSession.Settled settled && settled.changed()) {
            listener.onMediaChanged(settled.media());
        } else if (outcome instanceof MediaSession.Failed failed) {
            LOG.log(System.Logger.Level.INFO, "call {0}: ACK without a usable answer ({1}); media unchanged",
                    callId(), failed.reason());
        }
    }

    private static String sdpOf(SIPRequest request) {
        return SessionBody.of(request) instanceof SessionBody.Sdp sdp ? sdp.text() : null;
    }

    /** A CANCEL matched the INVITE while it had no final response (§9.2): 487 to it (the core answered the CANCEL). */
    void onCancel() {
        if (state != State.EARLY) {
            return;
        }
        invite.respond(core.messages().response(request(), 487, "Request Terminated", localTag()));
        listener.onCancel();
        terminated();
    }

    /** A BYE in this dialog (§15.1.2): 200, and in an early dialog 487 to the INVITE as well. */
    void onBye(SIPRequest request, ServerTransaction transaction) {
        transaction.respond(core.messages().response(request, 200, "OK", localTag()));
        if (state == State.EARLY) {
            invite.respond(core.messages().response(request(), 487, "Request Terminated", localTag()));
        }
        listener.onRemoteBye();
        terminated();
    }

    /**
     * A re-INVITE (§14.2): answered at once, with our answer to its offer or our offer when it has none. An offer
     * while ours is unanswered is glare (491); a re-INVITE while another INVITE of the dialog is open gets 500 with
     * Retry-After; an unacceptable offer gets 488 and leaves the session as it was.
     */
    void onReInvite(SIPRequest request, InviteServerTransaction transaction) {
        SessionBody body = SessionBody.of(request);
        if (state == State.ENDING) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
        } else if (body instanceof SessionBody.Refused refused) {
            refuse(transaction, refused);
        } else if (body instanceof SessionBody.Sdp && media.offerSent()) {
            reply(transaction, 491, "Request Pending");
        } else if (state == State.EARLY || pendingAck != null) {
            retryLater(transaction);
        } else if (body instanceof SessionBody.Sdp offer) {
            MediaSession.Outcome outcome = media.answer(offer.text());
            if (outcome instanceof MediaSession.Settled settled) {
                dialog.refreshTarget(request);
                sendOk(transaction, settled.localSdp());
                reportChange(settled);
            } else {
                rejectOffer(transaction, (MediaSession.Failed) outcome);
            }
        } else {
            dialog.refreshTarget(request);
            sendOk(transaction, media.offer());
        }
    }

    /**
     * INFO in the dialog (RFC 6086 §4.2.2, legacy usage): a key press is answered 200 and reported; no body 200;
     * another body type 415 with Accept; a DTMF body we cannot read 400.
     */
    void onInfo(SIPRequest request, ServerTransaction transaction) {
        if (state == State.ENDING) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
            return;
        }
        switch (DtmfInfo.of(request)) {
            case DtmfInfo.Digit d -> {
                reply(transaction, 200, "OK");
                listener.onInfoDigit(d.digit(), d.durationMs());
            }
            case DtmfInfo.Empty e -> reply(transaction, 200, "OK");
            case DtmfInfo.Unsupported u -> {
                SIPResponse response = core.messages().response(request, 415, "Unsupported Media Type", localTag());
                core.messages().add(response, "Accept", DtmfInfo.ACCEPT);
                transaction.respond(response);
            }
            case DtmfInfo.Malformed m -> {
                LOG.log(System.Logger.Level.DEBUG, "call {0}: INFO with a bad DTMF body: {1}", callId(), m.reason());
                reply(transaction, 400, "Bad Request");
            }
        }
    }

    /**
     * An UPDATE (RFC 3311 §5.2): without a body a target refresh answered 200; with an offer answered at once, unless
     * an offer of ours is unanswered (491) or one we received is, or we have no media address yet (500 with
     * Retry-After); an unacceptable offer gets 488.
     */
    void onUpdate(SIPRequest request, ServerTransaction transaction) {
        SessionBody body = SessionBody.of(request);
        if (state == State.ENDING) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
        } else if (body instanceof SessionBody.Refused refused) {
            refuse(transaction, refused);
        } else if (!(body instanceof SessionBody.Sdp offer)) {
            dialog.refreshTarget(request);
            transaction.respond(withContact(core.messages().response(request, 200, "OK", localTag()), transaction));
        } else if (media.offerSent()) {
            reply(transaction, 491, "Request Pending");
        } else if (media.offerReceived() || !media.hasLocalAddress()) {
            retryLater(transaction);
        } else {
            MediaSession.Outcome outcome = media.answer(offer.text());
            if (outcome instanceof MediaSession.Settled settled) {
                dialog.refreshTarget(request);
                SIPResponse ok = withContact(core.messages().response(request, 200, "OK", localTag()), transaction);
                core.messages().setSdp(ok, settled.localSdp());
                transaction.respond(ok);
                reportChange(settled);
            } else {
                rejectOffer(transaction, (MediaSession.Failed) outcome);
            }
        }
    }

    /** Sends a 2xx with our SDP to an INVITE and retransmits it until the ACK (§13.3.1.4). */
    private void sendOk(InviteServerTransaction transaction, String sdp) {
        SIPResponse ok = withContact(core.messages().response(transaction.request(), 200, "OK", localTag()),
                transaction);
        core.messages().setSdp(ok, sdp);
        transaction.respond(ok);
        pendingAck = PendingAck.start(transaction, core.transactions(), this::ackTimedOut);
    }

    /** Our answer went out in a 2xx: from now on the new media applies, if it is new. */
    private void reportChange(MediaSession.Settled settled) {
        if (settled.changed()) {
            listener.onMediaChanged(settled.media());
        }
    }

    private void rejectOffer(ServerTransaction transaction, MediaSession.Failed failed) {
        LOG.log(System.Logger.Level.DEBUG, "call {0}: offer refused: {1}", callId(), failed.reason());
        reply(transaction, 488, "Not Acceptable Here");
    }

    private void refuse(ServerTransaction transaction, SessionBody.Refused refused) {
        SIPResponse response = core.messages().response(transaction.request(), refused.status(), refused.reason(),
                localTag());
        core.messages().addAcceptSdp(response);
        transaction.respond(response);
    }

    /** 500 with a random 0-10 s Retry-After for a request overlapping another (RFC 3261 §14.2, RFC 3311 §5.2). */
    private void retryLater(ServerTransaction transaction) {
        SIPResponse response = core.messages().response(transaction.request(), 500, "Server Internal Error",
                localTag());
        core.messages().addRetryAfter(response,
                ThreadLocalRandom.current().nextInt(OVERLAP_RETRY_AFTER_MAX_SECONDS + 1));
        transaction.respond(response);
    }

    private void reply(ServerTransaction transaction, int status, String reason) {
        transaction.respond(core.messages().response(transaction.request(), status, reason, localTag()));
    }

    private SIPResponse withContact(SIPResponse response, ServerTransaction transaction) {
        Transport transport = transaction.peer().transport();
        boolean sips = "sips".equalsIgnoreCase(request().getRequestURI().getScheme());
        core.messages().addContact(response, core.localPort(transport), transport, sips && transport == Transport.TLS);
        return response;
    }

    /** No ACK for a 2xx within 64*T1: tell the listener, then end the dialog with BYE ourselves (§13.3.1.4). */
    private void ackTimedOut() {
        pendingAck = null;
        media.dropOffer();
        if (state == State.ANSWERED) {
            state = State.CONFIRMED;
        }
        if (state == State.CONFIRMED) {
            listener.onAckTimeout();
            sendBye();
        }
    }

    private void stopPendingAck() {
        if (pendingAck != null) {
            pendingAck.stop();
            pendingAck = null;
        }
    }

    /** Sends our BYE (§15.1.1) through a client transaction, on a new TCP connection if the remote's is gone. */
    private void sendBye() {
        if (state != State.CONFIRMED) {
            return;
        }
        state = State.ENDING;
        stopPendingAck();
        core.transport().peerFor(peer, dialog.nextHop())
                .whenComplete((to, error) -> core.onLoop(() -> sendByeTo(to, error)));
    }

    private void sendByeTo(SipPeer to, Throwable error) {
        if (state != State.ENDING) {
            return;
        }
        if (error != null) {
            LOG.log(System.Logger.Level.WARNING, "call {0}: BYE not sent, no connection to the remote: {1}",
                    callId(), error.toString());
            terminated();
            return;
        }
        String branch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
        SIPRequest request = core.messages().request(dialog, SipMethod.BYE, dialog.nextLocalCseq(), branch,
                core.localPort(to.transport()), to.transport());
        bye = core.transactions().startClient(branch, SipMethod.BYE.name(), to,
                request.encodeAsBytes(to.transport().name()), new ByeOutcome());
    }

    /** Any final response to our BYE ends the dialog (§15.1.1), and so does no response at all. */
    private final class ByeOutcome implements NonInviteClientTransaction.Listener {

        @Override
        public void onFinalResponse(SIPResponse response) {
            terminated();
        }

        @Override
        public void onTimeout() {
            LOG.log(System.Logger.Level.INFO, "call {0}: BYE got no final response", callId());
            terminated();
        }
    }

    /** Closes the dialog: stops its timers, removes it and tells the listener, exactly once. */
    void terminated() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        stopPendingAck();
        if (bye != null && bye.state() != NonInviteClientTransaction.State.COMPLETED) {
            bye.terminate();
        }
        core.dialogs().remove(this);
        listener.onTerminated();
    }
}
