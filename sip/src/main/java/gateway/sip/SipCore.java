package gateway.sip;

import gateway.sip.auth.AuthOutcome;
import gateway.sip.auth.DigestAuthenticator;
import gateway.sip.auth.DigestCredentials;
import gateway.time.Scheduler;
import gateway.transport.CallLogContext;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.Authorization;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import javax.sip.address.URI;

/**
 * The UAS core (RFC 3261 §8.2): checks each request, hands it to its transaction, answers what needs no dialog
 * (OPTIONS, CANCEL, a new INVITE) and passes requests with a To tag to the {@link Dialogs}.
 *
 * <p>Threading: all state lives on one SIP event loop (the UDP channel's loop in production).
 * {@link #receive} must run on it (the dispatcher hops there), timers run on the injected {@link Scheduler}
 * which must execute on the same thread, and {@link #onLoop} moves calls from other threads onto it.
 */
final class SipCore {

    private static final System.Logger LOG = System.getLogger(SipCore.class.getName());

    /** Seconds a caller should wait after a 503 (RFC 3261 §20.33). */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");

    private final CallHandler handler;
    private final RequestAdmission admission;
    private final DigestAuthenticator authenticator;
    private final EventExecutor loop;
    private final IntSupplier localPort;
    private final SipMessages messages;
    private final TransportLayer transport;
    private final Transactions transactions;
    private final Dialogs dialogs;
    private final SipSecurity security;
    /** Our codecs in preference order ({@code rtp.codecs}). */
    private final List<AudioCodec> codecs;
    private int tlsPort = -1;
    private final Registrations registrations = new Registrations();
    /** The log ids of the calls the layer above took, by SIP Call-ID ({@link InboundCall#logAs}); SIP loop only. */
    private final Map<String, CallLogContext.Ids> logIds = new HashMap<>();
    private boolean closed;

    SipCore(SipServerSettings settings, CallHandler handler, Scheduler scheduler, EventExecutor loop,
            IntSupplier localPort, TcpConnector connector) {
        this(settings, new RequestAdmission(AccessSettings.OPEN, scheduler), handler, scheduler, loop, localPort,
                connector);
    }

    SipCore(SipServerSettings settings, RequestAdmission admission, CallHandler handler, Scheduler scheduler,
            EventExecutor loop, IntSupplier localPort, TcpConnector connector) {
        this.handler = handler;
        this.admission = admission;
        this.authenticator = admission.settings().digest() == null ? null
                : new DigestAuthenticator(admission.settings().digest(), scheduler);
        this.loop = loop;
        this.localPort = localPort;
        this.messages = new SipMessages(settings.publicHost(), settings.userAgent());
        this.transport = new TransportLayer(connector);
        this.transactions = new Transactions(new LogCarryingScheduler(scheduler), transport);
        this.dialogs = new Dialogs(messages);
        this.security = settings.security();
        this.codecs = settings.codecs();
    }

    SipMessages messages() {
        return messages;
    }

    TransportLayer transport() {
        return transport;
    }

    Transactions transactions() {
        return transactions;
    }

    Dialogs dialogs() {
        return dialogs;
    }

    RequestAdmission admission() {
        return admission;
    }

    Registrations registrations() {
        return registrations;
    }

    /**
     * Starts registering with each of {@code settings}, UDP ones through {@code udp}; admission lets the registrars'
     * responses and their INVITEs to our registered users in. On the SIP loop.
     */
    void register(List<RegistrationSettings> settings, HostResolver resolver, Channel udp) {
        admission.registeredContacts(registrations);
        registrations.start(this, settings, resolver, udp);
    }

    int localPort() {
        return localPort.getAsInt();
    }

    /** Our port on {@code transport}: the TLS listener's for TLS, else the UDP and TCP one. */
    int localPort(Transport transport) {
        return transport == Transport.TLS && tlsPort > 0 ? tlsPort : localPort();
    }

    /** The TLS listener is bound on {@code port}; on the SIP loop. */
    void tlsPort(int port) {
        tlsPort = port;
    }

    int dialogCount() {
        return dialogs.count();
    }

    int transactionCount() {
        return transactions.count();
    }

    /** Runs {@code task} on the SIP loop: now if already there, else queued. */
    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            // A call's request (answer, BYE, REFER) logs on the SIP loop as the call that made it.
            CallLogContext.Ids ids = CallLogContext.current();
            loop.execute(ids == null ? task : () -> CallLogContext.run(ids, task));
        }
    }

    /** From now on the SIP layer's lines about the call {@code sipCallId} carry {@code ids}; SIP loop only. */
    void logAs(String sipCallId, CallLogContext.Ids ids) {
        logIds.put(sipCallId, ids);
    }

    /** The call {@code sipCallId} is over: its ids are forgotten; SIP loop only. */
    void forgetLogIds(String sipCallId, CallLogContext.Ids ids) {
        logIds.remove(sipCallId, ids);
    }

    /** The ids a message's lines carry: its call's, else its Call-ID alone; null for one without a Call-ID. */
    private CallLogContext.Ids logIdsOf(ParseOutcome outcome) {
        String sipCallId = switch (outcome) {
            case ParseOutcome.Request request -> request.message().getCallId() == null ? null
                    : request.message().getCallId().getCallId();
            case ParseOutcome.Response response -> response.message().getCallId() == null ? null
                    : response.message().getCallId().getCallId();
            case ParseOutcome.Invalid invalid -> invalid.raw() == null ? null : invalid.raw().first("call-id");
        };
        if (sipCallId == null) {
            return null;
        }
        CallLogContext.Ids ids = logIds.get(sipCallId);
        return ids != null ? ids : new CallLogContext.Ids(null, sipCallId);
    }

    /** Handles one parsed message; called on the SIP loop. */
    void receive(ParsedSip parsed) {
        if (closed) {
            return;
        }
        SipPeer peer = parsed.peer();
        ParseOutcome outcome = parsed.outcome();
        CallLogContext.Ids previous = CallLogContext.enter(logIdsOf(outcome));
        try {
            if (outcome instanceof ParseOutcome.Invalid invalid) {
                answerInvalid(invalid, peer, parsed.closeAfter());
            } else if (outcome instanceof ParseOutcome.Response response) {
                transactions.receiveResponse(response.message());
            } else if (outcome instanceof ParseOutcome.Request request) {
                receiveRequest(request.message(), peer);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SIP message handling failed", e);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    private void answerInvalid(ParseOutcome.Invalid invalid, SipPeer peer, boolean close) {
        if (invalid.raw() != null && invalid.raw().canAnswer()) {
            byte[] response = messages.rawResponse(invalid.raw(), invalid.status(), invalid.reason(),
                    SipMessages.randomToken());
            if (close) {
                transport.sendAndClose(peer, response);
            } else {
                transport.send(peer, response);
            }
        } else if (close) {
            peer.channel().close();
        }
    }

    /**
     * Answers a request admission refused before parsing, statelessly (RFC 3261 §8.2.7) from its raw headers; a
     * message the TCP framer could not delimit closes its connection after the answer.
     */
    void refuseUnparsed(RawSipMessage message, int status, String reason) {
        if (closed) {
            return;
        }
        RawHeaders raw = RawHeaders.scan(message.data());
        boolean close = message.framingError() != null;
        if (raw.canAnswer()) {
            byte[] response = messages.rawResponse(raw, status, reason,
                    SipMessages.statelessTag(raw.first("call-id"), raw.first("from"), raw.first("via")));
            if (close) {
                transport.sendAndClose(message.peer(), response);
            } else {
                transport.send(message.peer(), response);
            }
        } else if (close) {
            message.peer().channel().close();
        }
    }

    private void receiveRequest(SIPRequest request, SipPeer peer) {
        if (!hasKeyHeaders(request)) {
            return;
        }
        markReceived(request, peer);
        SipMethod method = SipMethod.of(request.getMethod());
        LOG.log(System.Logger.Level.DEBUG, "{0} {1} from {2}", request.getMethod(),
                String.valueOf(request.getCSeq().getSeqNumber()), peer.remote());
        if (method == SipMethod.ACK) {
            receiveAck(request, peer);
            return;
        }
        ServerTransaction existing = transactions.server(request, request.getMethod());
        if (existing != null) {
            LOG.log(System.Logger.Level.DEBUG, "{0} retransmitted: its transaction answers", request.getMethod());
            existing.onRetransmission();
            return;
        }
        if (method == SipMethod.INVITE && request.getTo().getTag() == null && !authenticated(request, peer)) {
            return;
        }
        ServerTransaction transaction;
        if (method == SipMethod.INVITE) {
            transaction = transactions.newInvite(request, peer);
            if (transaction == null) {
                overloaded(request, peer);
                return;
            }
        } else {
            transaction = transactions.newNonInvite(request, peer);
        }
        try {
            answer(request, method, transaction);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SIP request handling failed", e);
            reply(transaction, 500, "Server Internal Error");
        }
    }

    /**
     * For a new INVITE from a source that must authenticate (RFC 3261 §22.2): true when its digest credentials are
     * right; otherwise it has been answered statelessly, 401 with challenges or 403, so a failed request holds no
     * transaction, no dialog and no port (RFC 3261 §26.3.2.4).
     */
    private boolean authenticated(SIPRequest request, SipPeer peer) {
        if (peer.remote() == null) {
            return true;
        }
        String user = request.getRequestURI() instanceof SipUri uri ? uri.getUser() : null;
        SourcePolicy.Access access = admission.access(peer.remote().getAddress(), user);
        if (access == SourcePolicy.Access.OPEN) {
            return true;
        }
        if (access == SourcePolicy.Access.REFUSED || authenticator == null) {
            admission.refused(peer.remote().getAddress(), Refusal.SOURCE);
            sendStateless(request, peer, 403, "Forbidden", List.of());
            return false;
        }
        List<DigestCredentials> credentials = new ArrayList<>(1);
        for (Iterator<?> it = request.getHeaders(Authorization.NAME); it.hasNext(); ) {
            Object header = it.next();
            if (header instanceof Authorization authorization && "Digest".equalsIgnoreCase(authorization.getScheme())) {
                credentials.add(DigestCredentials.of(authorization::getParameter));
            }
        }
        AuthOutcome outcome = authenticator.check(SipMethod.INVITE.name(), credentials);
        admission.authenticated(peer.remote().getAddress(), outcome);
        switch (outcome) {
            case AuthOutcome.Accepted accepted -> {
                LOG.log(System.Logger.Level.INFO, "INVITE {0} from {1}: authenticated as {2}",
                        request.getCallId().getCallId(), peer.remote().getAddress().getHostAddress(), accepted.user());
                return true;
            }
            case AuthOutcome.Challenge challenge -> sendStateless(request, peer, 401, "Unauthorized",
                    authenticator.challenges(challenge.stale()));
            case AuthOutcome.Refused refused -> sendStateless(request, peer, 403, "Forbidden", List.of());
        }
        return false;
    }

    /**
     * A final response sent without a transaction (RFC 3261 §8.2.7): its To tag is derived from the request, so a
     * retransmitted request gets the same one; the ACK it draws matches nothing and is dropped.
     */
    private void sendStateless(SIPRequest request, SipPeer peer, int status, String reason,
                               List<String> wwwAuthenticate) {
        Via via = request.getTopmostVia();
        SIPResponse response = messages.response(request, status, reason, SipMessages.statelessTag(
                request.getCallId().getCallId(), request.getFrom().getTag(), via.getBranch()));
        for (String challenge : wwwAuthenticate) {
            messages.addOne(response, "WWW-Authenticate", challenge);
        }
        transport.send(peer, SipMessages.encode(response));
    }

    /** The checks of RFC 3261 §8.2 in order, then the request goes where it belongs. */
    private void answer(SIPRequest request, SipMethod method, ServerTransaction transaction) {
        boolean inDialog = request.getTo().getTag() != null;
        URI uri = request.getRequestURI();
        if (uri == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            reply(transaction, 416, "Unsupported URI Scheme");
        } else if (!method.implemented() && !inDialog) {
            notImplemented(transaction);
        } else if (!request.getMethod().equals(request.getCSeq().getMethod())) {
            reply(transaction, 400, "CSeq method does not match Request-Line");
        } else if (method != SipMethod.CANCEL && !Extensions.unsupportedRequired(request).isEmpty()) {
            // RFC 3261 §8.2.2.3: a Require option we do not implement (ours: 100rel, timer) is refused by name.
            SIPResponse response = messages.response(request, 420, "Bad Extension", SipMessages.randomToken());
            messages.add(response, "Unsupported", String.join(", ", Extensions.unsupportedRequired(request)));
            transaction.respond(response);
        } else if (method == SipMethod.CANCEL) {
            receiveCancel(request, transaction);
        } else if (inDialog) {
            dialogs.receive(request, method, transaction);
        } else {
            switch (method) {
                case INVITE -> receiveInvite(request, (InviteServerTransaction) transaction);
                case OPTIONS -> receiveOptions(transaction);
                // RFC 3261 §15.1.2, RFC 3311 §5.2: BYE and UPDATE only exist inside a dialog.
                default -> reply(transaction, 481, "Call/Transaction Does Not Exist");
            }
        }
    }

    /** RFC 3261 §8.1.1: without Call-ID, CSeq, From, To and Via nothing can be answered or matched. */
    private static boolean hasKeyHeaders(SIPRequest request) {
        return request.getTopmostVia() != null && request.getCSeq() != null && request.getCallId() != null
                && request.getFrom() != null && request.getTo() != null;
    }

    /** RFC 3261 §18.2.1 and RFC 3581: record the packet's source in the top Via; responses go to that source. */
    private static void markReceived(SIPRequest request, SipPeer peer) {
        if (peer.remote() == null) {
            return;
        }
        Via via = request.getTopmostVia();
        try {
            via.setReceived(peer.remote().getAddress().getHostAddress());
            if (via.hasParameter("rport")) {
                via.setParameter("rport", String.valueOf(peer.remote().getPort()));
            }
        } catch (java.text.ParseException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot mark Via received", e);
        }
    }

    /** An ACK: for a non-2xx final its INVITE transaction takes it (§17.2.1), for a 2xx its dialog (§13.3.1.4). */
    private void receiveAck(SIPRequest ack, SipPeer peer) {
        InviteServerTransaction transaction = transactions.invite(ack);
        if (transaction != null && transaction.state() == InviteServerTransaction.State.COMPLETED) {
            transaction.onAck();
        } else if (ack.getTo().getTag() != null) {
            dialogs.receiveAck(ack, peer);
        }
    }

    /** Stateless 503 when the transaction table is full (RFC 3261 §21.5.4). */
    private void overloaded(SIPRequest request, SipPeer peer) {
        SIPResponse busy = messages.response(request, 503, "Service Unavailable", SipMessages.randomToken());
        messages.addRetryAfter(busy, RETRY_AFTER_SECONDS);
        transport.send(peer, SipMessages.encode(busy));
    }

    /**
     * A new INVITE (§13.3.1): 100 at once, then a call for the handler when the dialog can exist and its body is
     * acceptable: an SDP offer we can answer, or none at all (a late offer, our offer goes in the 200).
     */
    private void receiveInvite(SIPRequest invite, InviteServerTransaction transaction) {
        if (dialogs.full()) {
            SIPResponse busy = messages.response(invite, 503, "Service Unavailable", SipMessages.randomToken());
            messages.addRetryAfter(busy, RETRY_AFTER_SECONDS);
            transaction.respond(busy);
            return;
        }
        transaction.respond(messages.response(invite, 100, "Trying", null));
        int minSe = SessionTimerRequest.of(invite).tooSmall();
        if (minSe >= 0) {
            // RFC 4028 §9: a session interval below our Min-SE or the request's own.
            SIPResponse tooSmall = messages.response(invite, 422, "Session Interval Too Small",
                    SipMessages.randomToken());
            messages.addMinSe(tooSmall, minSe);
            transaction.respond(tooSmall);
            return;
        }
        Dialog dialog = Dialog.fromInvite(invite, SipMessages.randomToken());
        if (dialog == null) {
            reply(transaction, 400, "Missing or non-SIP Contact");
            return;
        }
        SessionBody body = SessionBody.of(invite);
        if (body instanceof SessionBody.Refused refused) {
            SIPResponse response = messages.response(invite, refused.status(), refused.reason(),
                    SipMessages.randomToken());
            messages.addAcceptSdp(response);
            transaction.respond(response);
            return;
        }
        SdpNegotiator.Accepted offer = null;
        SdesPolicy sdes = security.sdesOver(transaction.peer().transport());
        if (body instanceof SessionBody.None && sdes.requiresCrypto() && !sdes.acceptsCrypto()) {
            // A late offer would need our SRTP keys in the 200, which this signalling may not carry (RFC 4568 §8.3).
            reply(transaction, 488, "Not Acceptable Here");
            return;
        }
        if (body instanceof SessionBody.Sdp sdp) {
            SdpNegotiator.Result result = SdpNegotiator.answer(sdp.text(), null, sdes, null, codecs);
            if (result instanceof SdpNegotiator.Rejected rejected) {
                LOG.log(System.Logger.Level.DEBUG, "rejected offer of {0}: {1}", invite.getCallId().getCallId(),
                        rejected.reason());
                reply(transaction, 488, "Not Acceptable Here");
                return;
            }
            offer = (SdpNegotiator.Accepted) result;
        }
        long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        ServerCall call = new ServerCall(this, transaction, dialog, new MediaSession(offer, sessionId, sdes, codecs));
        transaction.attach(call);
        dialogs.add(call);
        try {
            handler.onInvite(call);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "call handler failed", e);
            if (call.state() == ServerCall.State.EARLY) {
                call.reject(500, "Server Internal Error");
            }
        }
    }

    /** CANCEL (§9.2): 200 when it matches an INVITE transaction, and 487 to that INVITE if it had no final yet. */
    private void receiveCancel(SIPRequest cancel, ServerTransaction transaction) {
        InviteServerTransaction invite = transactions.invite(cancel);
        if (invite == null) {
            reply(transaction, 481, "Call/Transaction Does Not Exist");
            return;
        }
        ServerCall call = invite.call();
        String tag = call != null ? call.localTag() : SipMessages.randomToken();
        transaction.respond(messages.response(cancel, 200, "OK", tag));
        if (invite.state() == InviteServerTransaction.State.PROCEEDING) {
            if (call != null) {
                call.onCancel();
            } else {
                invite.respond(messages.response(invite.request(), 487, "Request Terminated", tag));
            }
        }
    }

    /** OPTIONS outside a dialog (§11.2): 200 with what we allow, support and accept. */
    private void receiveOptions(ServerTransaction transaction) {
        SIPResponse ok = messages.response(transaction.request(), 200, "OK", SipMessages.randomToken());
        messages.addCapabilities(ok);
        messages.addAcceptSdp(ok);
        transaction.respond(ok);
    }

    /** 501 with Allow for a method we do not implement (§8.2.1). */
    private void notImplemented(ServerTransaction transaction) {
        SIPResponse response = messages.response(transaction.request(), 501, "Not Implemented",
                SipMessages.randomToken());
        messages.addAllow(response);
        transaction.respond(response);
    }

    private void reply(ServerTransaction transaction, int status, String reason) {
        transaction.respond(messages.response(transaction.request(), status, reason, SipMessages.randomToken()));
    }

    /** Stops everything: timers are ignored from now on and listeners get onTerminated. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        registrations.stop();
        dialogs.abandonAll();
        transactions.closeAll();
    }
}
