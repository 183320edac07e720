package gateway.sip;

import gateway.transport.CallLogContext;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import javax.sip.header.AllowHeader;

/**
 * One inbound call: the INVITE that created it and its dialog (RFC 3261 §12, §13.3, §14, §15), with the
 * offer/answer of its session (RFC 3264, RFC 3311), its provisional responses (reliable ones when the caller supports
 * them, RFC 3262), early media (RFC 3960) and its session timer (RFC 4028).
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
    private final SessionTimer sessionTimer;
    private final SessionRefresher refresher;
    /** Our provisional responses when they go reliably (the caller supports 100rel and offered SDP); else null. */
    private final ReliableProvisionals reliable;
    /** False for an INVITE without SDP requiring 100rel: its first reliable response, the 200, carries our offer. */
    private final boolean provisionalsAllowed;
    private volatile CallListener listener = CallListener.NONE;
    private State state = State.EARLY;
    private SipPeer peer;
    private PendingAck pendingAck;
    private boolean byePending;
    /** The ids this call's lines carry, once the layer above gave them ({@link #logAs}); SIP loop only. */
    private CallLogContext.Ids logIds;
    private NonInviteClientTransaction bye;
    /** Our SDP for the INVITE, once given in a 183 or the 200 (the 200 repeats the 183's). */
    private String answerSdp;
    /** The 200 waits for the PRACK of a reliable provisional that carried our SDP (RFC 3262 §3); its future. */
    private CompletableFuture<Boolean> deferredAnswer;

    ServerCall(SipCore core, InviteServerTransaction invite, Dialog dialog, MediaSession media) {
        this.core = core;
        this.invite = invite;
        this.dialog = dialog;
        this.media = media;
        this.peer = invite.peer();
        SIPRequest request = invite.request();
        boolean offered = media.initialOffer().isPresent();
        this.reliable = offered && Extensions.supports(request, Extensions.RELIABLE_PROVISIONALS)
                ? new ReliableProvisionals(invite, core.transactions(), this::provisionalUnacknowledged) : null;
        this.provisionalsAllowed = offered || !Extensions.requires(request, Extensions.RELIABLE_PROVISIONALS);
        this.refresher = new SessionRefresher(this, allows(request, SipMethod.UPDATE));
        this.sessionTimer = new SessionTimer(core.transactions().scheduler(), new SessionTimer.Actions() {
            @Override
            public void refresh() {
                refresher.refresh(sessionTimer.interval());
            }

            @Override
            public void expire() {
                sessionExpired();
            }
        });
    }

    /** True when {@code request} lists {@code method} in an Allow header; no Allow at all counts as allowing it. */
    private static boolean allows(SIPRequest request, SipMethod method) {
        Iterator<?> allow = request.getHeaders(AllowHeader.NAME);
        if (allow == null || !allow.hasNext()) {
            return true;
        }
        while (allow.hasNext()) {
            if (method.name().equalsIgnoreCase(((AllowHeader) allow.next()).getMethod().trim())) {
                return true;
            }
        }
        return false;
    }

    SipCore core() {
        return core;
    }

    MediaSession media() {
        return media;
    }

    SessionTimer sessionTimer() {
        return sessionTimer;
    }

    CallListener listener() {
        return listener;
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
    public String requestUri() {
        return request().getRequestURI().toString();
    }

    @Override
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        Iterator<?> headers = request().getHeaders(name);
        while (headers != null && headers.hasNext()) {
            if (headers.next() instanceof SIPHeader header) {
                values.add(header.getHeaderValue());
            }
        }
        return values;
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
            if (state == State.EARLY && deferredAnswer == null) {
                provisional(180, null, null);
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> earlyMedia(String publicHost, int rtpPort) {
        Objects.requireNonNull(publicHost, "publicHost");
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        core.onLoop(() -> {
            if (state != State.EARLY || deferredAnswer != null || answerSdp != null
                    || media.initialOffer().isEmpty()) {
                sent.complete(false);
                return;
            }
            answerSdp = media.firstSdp(publicHost, rtpPort);
            sent.complete(provisional(183, "Session Progress", answerSdp));
        });
        return sent;
    }

    /**
     * Sends a provisional response with our To-tag, Contact, Allow and Supported (and {@code sdp} when not null):
     * reliably when the caller supports 100rel (RFC 3262), else once; false when none may go out.
     */
    private boolean provisional(int status, String reason, String sdp) {
        if (!provisionalsAllowed) {
            return false;
        }
        SIPResponse response = withContact(core.messages().response(request(), status, reason, localTag()), invite);
        core.messages().addCapabilities(response);
        if (sdp != null) {
            core.messages().setSdp(response, sdp);
        }
        if (reliable != null) {
            reliable.send(response, core.messages());
        } else {
            invite.respond(response);
        }
        return true;
    }

    @Override
    public CompletableFuture<Boolean> answer(String publicHost, int rtpPort) {
        Objects.requireNonNull(publicHost, "publicHost");
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        core.onLoop(() -> {
            if (state != State.EARLY || deferredAnswer != null) {
                sent.complete(false);
                return;
            }
            if (answerSdp == null) {
                answerSdp = media.firstSdp(publicHost, rtpPort);
            }
            if (reliable != null && reliable.sdpUnacknowledged()) {
                deferredAnswer = sent;          // RFC 3262 §3: the answer in our 183 must be acknowledged first
                return;
            }
            sendAnswer(sent);
        });
        return sent;
    }

    private void sendAnswer(CompletableFuture<Boolean> sent) {
        state = State.ANSWERED;
        if (reliable != null) {
            reliable.stop();
        }
        sendOk(invite, answerSdp);
        sent.complete(true);
    }

    /** A reliable provisional response got no PRACK in 64*T1: the INVITE is given up with a 5xx (RFC 3262 §3). */
    private void provisionalUnacknowledged() {
        if (state == State.EARLY) {
            LOG.log(System.Logger.Level.INFO, "call {0}: no PRACK for our reliable provisional response", callId());
            invite.respond(core.messages().response(request(), 500, "Provisional Response Not Acknowledged",
                    localTag()));
            terminated();
        }
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
    public void redirect(String target) {
        core.onLoop(() -> {
            if (state == State.EARLY) {
                SIPResponse response = core.messages().response(request(), 302, "Moved Temporarily", localTag());
                core.messages().add(response, "Contact", "<" + target + ">");
                invite.respond(response);
                terminated();
            }
        });
    }

    @Override
    public CompletableFuture<Integer> refer(String referTo, String referredBy) {
        CompletableFuture<Integer> outcome = new CompletableFuture<>();
        core.onLoop(() -> {
            if (state != State.CONFIRMED) {
                outcome.complete(481);
                return;
            }
            toNextHop((to, error) -> sendRefer(to, error, referTo, referredBy, outcome));
        });
        return outcome;
    }

    /** Our REFER (RFC 3515 §2.4) through a client transaction; a target refresh request, so it has our Contact. */
    private void sendRefer(SipPeer to, Throwable error, String referTo, String referredBy,
                           CompletableFuture<Integer> outcome) {
        if (state != State.CONFIRMED) {
            outcome.complete(481);
            return;
        }
        if (error != null) {
            LOG.log(System.Logger.Level.WARNING, "call {0}: REFER not sent, no connection to the remote: {1}",
                    callId(), error.toString());
            outcome.complete(408);
            return;
        }
        String branch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
        SIPRequest request = newRequest(SipMethod.REFER, to, branch, 0);
        addContact(request, to.transport());
        core.messages().addOne(request, "Refer-To", referTo);
        core.messages().addOne(request, "Referred-By", referredBy);
        core.transactions().startClient(branch, SipMethod.REFER.name(), to,
                request.encodeAsBytes(to.transport().name()), new NonInviteClientTransaction.Listener() {
                    @Override
                    public void onFinalResponse(SIPResponse response) {
                        outcome.complete(response.getStatusCode());
                    }

                    @Override
                    public void onTimeout() {
                        outcome.complete(408);
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
        int minSe = SessionTimerRequest.of(request).tooSmall();
        if (state == State.ENDING) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
        } else if (minSe >= 0) {
            intervalTooSmall(transaction, minSe);
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
        int minSe = SessionTimerRequest.of(request).tooSmall();
        if (state == State.ENDING) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
        } else if (minSe >= 0) {
            intervalTooSmall(transaction, minSe);
        } else if (body instanceof SessionBody.Refused refused) {
            refuse(transaction, refused);
        } else if (!(body instanceof SessionBody.Sdp offer)) {
            dialog.refreshTarget(request);
            transaction.respond(sessionRefreshed(okWithContact(transaction), request));
        } else if (media.offerSent()) {
            reply(transaction, 491, "Request Pending");
        } else if (media.offerReceived() || !media.hasLocalAddress()) {
            retryLater(transaction);
        } else {
            MediaSession.Outcome outcome = media.answer(offer.text());
            if (outcome instanceof MediaSession.Settled settled) {
                dialog.refreshTarget(request);
                SIPResponse ok = okWithContact(transaction);
                core.messages().setSdp(ok, settled.localSdp());
                transaction.respond(sessionRefreshed(ok, request));
                reportChange(settled);
            } else {
                rejectOffer(transaction, (MediaSession.Failed) outcome);
            }
        }
    }

    /**
     * Sends a 2xx with our SDP to an INVITE (with Contact, Allow, Supported and the session timer) and retransmits it
     * until the ACK (§13.3.1.4).
     */
    private void sendOk(InviteServerTransaction transaction, String sdp) {
        SIPResponse ok = okWithContact(transaction);
        core.messages().setSdp(ok, sdp);
        transaction.respond(sessionRefreshed(ok, transaction.request()));
        pendingAck = PendingAck.start(transaction, core.transactions(), this::ackTimedOut);
    }

    /** A 200 to a request of the remote with our To-tag, Contact, Allow and Supported (RFC 3261 §13.3.1.1). */
    private SIPResponse okWithContact(ServerTransaction transaction) {
        SIPResponse ok = withContact(core.messages().response(transaction.request(), 200, "OK", localTag()),
                transaction);
        core.messages().addCapabilities(ok);
        return ok;
    }

    /**
     * Our 2xx to the remote's session refresh request {@code request} (INVITE, re-INVITE, UPDATE) refreshes the session
     * (RFC 4028 §9, §10): it carries the interval and refresher we settle on, with Require: timer when the remote
     * refreshes, and the timer restarts; a request without Session-Expires turns the timer off.
     */
    private SIPResponse sessionRefreshed(SIPResponse ok, SIPRequest request) {
        SessionTimerRequest.Answer timer = SessionTimerRequest.of(request).answer();
        if (timer == null) {
            sessionTimer.stop();
            return ok;
        }
        core.messages().add(ok, SessionTimerRequest.SESSION_EXPIRES, timer.header());
        if (timer.requireTimer()) {
            core.messages().add(ok, "Require", Extensions.SESSION_TIMER);
        }
        sessionTimer.start(timer.interval(), !timer.uacRefreshes());
        return ok;
    }

    /** 422 Session Interval Too Small with our Min-SE (RFC 4028 §6, §9). */
    private void intervalTooSmall(ServerTransaction transaction, int minSe) {
        SIPResponse response = core.messages().response(transaction.request(), 422, "Session Interval Too Small",
                localTag());
        core.messages().addMinSe(response, minSe);
        transaction.respond(response);
    }

    /**
     * A PRACK (RFC 3262 §7.2): 200 when its RAck names our outstanding reliable provisional response, whose resending
     * then stops (and a 200 waiting for it goes out); 481 when it names none. A PRACK carrying an offer acknowledges as
     * well, but its offer is refused with 488: our reliable provisionals carry answers, never offers.
     */
    void onPrack(SIPRequest request, ServerTransaction transaction) {
        long[] rack = rack(request);
        if (state == State.ENDING || reliable == null || rack == null
                || !reliable.acknowledge(rack[0], rack[1], rackMethod(request))) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
            return;
        }
        if (SessionBody.of(request) instanceof SessionBody.Sdp) {
            reply(transaction, 488, "Not Acceptable Here");
        } else {
            reply(transaction, 200, "OK");
        }
        if (deferredAnswer != null && !reliable.sdpUnacknowledged()) {
            CompletableFuture<Boolean> sent = deferredAnswer;
            deferredAnswer = null;
            sendAnswer(sent);
        }
    }

    /** RSeq and CSeq number of a PRACK's RAck header (RFC 3262 §7.2), or null when it has none readable. */
    private static long[] rack(SIPRequest request) {
        String[] parts = rackParts(request);
        if (parts == null) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String rackMethod(SIPRequest request) {
        String[] parts = rackParts(request);
        return parts == null ? "" : parts[2];
    }

    private static String[] rackParts(SIPRequest request) {
        String value = headerValue(request, "RAck");
        String[] parts = value.trim().split("\\s+");
        return parts.length == 3 ? parts : null;
    }

    private static String headerValue(SIPRequest request, String name) {
        return request.getHeader(name) instanceof SIPHeader header ? header.getHeaderValue().trim() : "";
    }

    /** A NOTIFY in this dialog (RFC 6665 §4.1.3; a REFER's progress, RFC 3515 §2.4.4): 200, then the listener. */
    void onNotify(SIPRequest request, ServerTransaction transaction) {
        reply(transaction, 200, "OK");
        byte[] body = request.getRawContent();
        String contentType = request.getContentTypeHeader() == null ? ""
                : request.getContentTypeHeader().getContentType() + "/" + request.getContentTypeHeader()
                        .getContentSubType();
        listener.onNotify(new InDialogNotify(headerValue(request, "Event"),
                headerValue(request, "Subscription-State"), body == null || body.length == 0 ? "" : contentType,
                body == null ? "" : new String(body, StandardCharsets.UTF_8)));
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

    /** The session timer ran out (RFC 4028 §10): tell the listener, then end the dialog with BYE ourselves. */
    void sessionExpired() {
        if (state == State.ANSWERED) {
            byePending = true;
            listener.onSessionExpired();
        } else if (state == State.CONFIRMED) {
            LOG.log(System.Logger.Level.INFO, "call {0}: session timer expired without a refresh", callId());
            listener.onSessionExpired();
            sendBye();
        }
    }

    /** True while the dialog is confirmed and not ending: requests of ours may go out. */
    boolean confirmed() {
        return state == State.CONFIRMED;
    }

    /** True while no offer/answer exchange is open either way, so a re-INVITE of ours may offer. */
    boolean idleForOffer() {
        return pendingAck == null && !media.offerSent() && !media.offerReceived();
    }

    /** Our Contact on a request of ours over {@code transport} (a target refresh request needs one, §12.2.1.1). */
    void addContact(SIPRequest request, Transport transport) {
        boolean sips = "sips".equalsIgnoreCase(request().getRequestURI().getScheme());
        core.messages().addContact(request, core.localPort(transport), transport, sips && transport == Transport.TLS);
    }

    /**
     * Finds the peer for a request of ours in this dialog (§12.2.1.1): the route set's next hop over the transport it
     * names, or the remote's open connection; {@code then} runs on the SIP loop with it or with the error.
     */
    void toNextHop(BiConsumer<SipPeer, Throwable> then) {
        core.transport().peerFor(peer, dialog.nextHop(peer.remote()))
                .whenComplete((to, error) -> core.onLoop(() -> then.accept(to, error)));
    }

    /** A request of ours in this dialog to {@code to}: the next local CSeq unless {@code cseq} is given (an ACK). */
    SIPRequest newRequest(SipMethod method, SipPeer to, String branch, long cseq) {
        return core.messages().request(dialog, method, cseq > 0 ? cseq : dialog.nextLocalCseq(), branch,
                core.localPort(to.transport()), to.transport());
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

    /**
     * Sends our BYE (§15.1.1) through a client transaction along the route set, on a new TCP or TLS connection if the
     * remote's is gone.
     */
    private void sendBye() {
        if (state != State.CONFIRMED) {
            return;
        }
        state = State.ENDING;
        stopPendingAck();
        sessionTimer.stop();
        refresher.stop();
        toNextHop(this::sendByeTo);
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
        SIPRequest request = newRequest(SipMethod.BYE, to, branch, 0);
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
        sessionTimer.stop();
        refresher.stop();
        if (reliable != null) {
            reliable.stop();
        }
        if (deferredAnswer != null) {
            deferredAnswer.complete(false);
            deferredAnswer = null;
        }
        if (bye != null && bye.state() != NonInviteClientTransaction.State.COMPLETED) {
            bye.terminate();
        }
        core.dialogs().remove(this);
        if (logIds != null) {
            core.forgetLogIds(callId(), logIds);
        }
        listener.onTerminated();
    }

    @Override
    public void logAs(CallLogContext.Ids ids) {
        core.onLoop(() -> {
            if (state != State.TERMINATED) {
                logIds = ids;
                core.logAs(callId(), ids);
            }
        });
    }
}
