package gateway.sip;

import gateway.time.Scheduler;
import gov.nist.core.HostPort;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
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
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RequireHeader;

/**
 * The UAS core: matches messages to transactions and dialogs and answers them (RFC 3261 §8.2, §9.2, §12, §15, §17.2).
 *
 * <p>Threading: all state lives on one SIP event loop ({@link #loop()}, the UDP channel's loop in production).
 * {@link #receive} must run on it (the dispatcher hops there), timers run on the injected {@link Scheduler}
 * which must execute on the same thread, and {@link #onLoop} moves calls from other threads onto it.
 */
final class SipCore {

    private static final System.Logger LOG = System.getLogger(SipCore.class.getName());

    /** Concurrent calls we keep state for; more INVITEs get 503 (RFC 3261 §21.5.4) so memory stays bounded. */
    static final int MAX_DIALOGS = 4096;
    /** INVITE transactions plus cached non-INVITE responses; beyond this INVITEs get 503 and responses are not cached. */
    static final int MAX_TRANSACTIONS = 16384;
    /** Seconds a caller should wait after a 503 (RFC 3261 §20.33). */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");
    private static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS");

    private final SipServerSettings settings;
    private final CallHandler handler;
    private final Scheduler scheduler;
    private final EventExecutor loop;
    private final IntSupplier localPort;
    private final SipMessages messages;
    private final Map<String, InviteServerTransaction> inviteTransactions = new HashMap<>();
    private final Map<String, byte[]> nonInviteResponses = new HashMap<>();
    private final Map<String, ServerCall> dialogs = new HashMap<>();
    private final Map<String, ServerCall> clientTransactions = new HashMap<>();
    private long localCseq = 1;
    private boolean closed;

    SipCore(SipServerSettings settings, CallHandler handler, Scheduler scheduler, EventExecutor loop, IntSupplier localPort) {
        this.settings = settings;
        this.handler = handler;
        this.scheduler = scheduler;
        this.loop = loop;
        this.localPort = localPort;
        this.messages = new SipMessages(settings.publicHost(), settings.userAgent());
    }

    Scheduler scheduler() {
        return scheduler;
    }

    EventExecutor loop() {
        return loop;
    }

    SipMessages messages() {
        return messages;
    }

    int localPort() {
        return localPort.getAsInt();
    }

    long nextLocalCseq() {
        return localCseq++;
    }

    int dialogCount() {
        return dialogs.size();
    }

    int transactionCount() {
        return inviteTransactions.size() + nonInviteResponses.size();
    }

    /** Runs {@code task} on the SIP loop: now if already there, else queued. */
    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    static String dialogKey(String callId, String localTag, String remoteTag) {
        return callId + '|' + (localTag == null ? "" : localTag) + '|' + (remoteTag == null ? "" : remoteTag);
    }

    /** Handles one parsed message; called on the SIP loop. */
    void receive(ParsedSip parsed) {
        if (closed) {
            return;
        }
        SipPeer peer = parsed.peer();
        try {
            ParseOutcome outcome = parsed.outcome();
            if (outcome instanceof ParseOutcome.Invalid invalid) {
                answerInvalid(invalid, peer, parsed.closeAfter());
            } else if (outcome instanceof ParseOutcome.Response response) {
                receiveResponse(response.message());
            } else if (outcome instanceof ParseOutcome.Request request) {
                receiveRequest(request.message(), peer);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SIP message handling failed", e);
        }
    }

    private void answerInvalid(ParseOutcome.Invalid invalid, SipPeer peer, boolean close) {
        if (invalid.raw() != null && invalid.raw().canAnswer()) {
            byte[] response = messages.rawResponse(invalid.raw(), invalid.status(), invalid.reason(), SipMessages.randomToken());
            send(peer, response, close);
        } else if (close) {
            peer.channel().close();
        }
    }

    private void receiveResponse(SIPResponse response) {
        Via via = response.getTopmostVia();
        ServerCall call = via == null ? null : clientTransactions.get(via.getBranch());
        CSeq cseq = (CSeq) response.getCSeq();
        if (call != null && cseq != null && "BYE".equals(cseq.getMethod())) {
            call.onByeResponse(response.getStatusCode());
        }
    }

    private void receiveRequest(SIPRequest request, SipPeer peer) {
        String method = request.getMethod();
        if (!hasKeyHeaders(request)) {
            return;
        }
        markReceived(request, peer);
        if ("ACK".equals(method)) {
            receiveAck(request);
            return;
        }
        if ("INVITE".equals(method)) {
            InviteServerTransaction existing = inviteTransactions.get(transactionKey(request, "INVITE"));
            if (existing != null) {
                existing.onRetransmission();
                return;
            }
        } else {
            byte[] cached = nonInviteResponses.get(transactionKey(request, method));
            if (cached != null) {
                send(peer, cached, false);
                return;
            }
        }
        URI uri = request.getRequestURI();
        if (uri == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            reply(request, peer, 416, "Unsupported URI Scheme");
        } else if (!METHODS.contains(method)) {
            SIPResponse response = messages.response(request, 501, "Not Implemented", SipMessages.randomToken());
            messages.add(response, "Allow", SipMessages.ALLOW);
            reply(request, peer, response);
        } else if (!method.equals(request.getCSeq().getMethod())) {
            reply(request, peer, 400, "CSeq method does not match Request-Line");
        } else if (!"CANCEL".equals(method) && request.getHeader(RequireHeader.NAME) != null) {
            // RFC 3261 §8.2.2.3: we support no extensions, so every Require option is unsupported.
            SIPResponse response = messages.response(request, 420, "Bad Extension", SipMessages.randomToken());
            messages.add(response, "Unsupported", requiredOptions(request));
            reply(request, peer, response);
        } else {
            switch (method) {
                case "INVITE" -> receiveInvite(request, peer);
                case "CANCEL" -> receiveCancel(request, peer);
                case "BYE" -> receiveBye(request, peer);
                default -> receiveOptions(request, peer);
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

    private void receiveAck(SIPRequest ack) {
        InviteServerTransaction transaction = inviteTransactions.get(transactionKey(ack, "INVITE"));
        if (transaction != null && transaction.state() == InviteServerTransaction.State.COMPLETED) {
            transaction.onAck();
            return;
        }
        ServerCall call = dialogs.get(dialogKey(ack.getCallId().getCallId(), ack.getTo().getTag(), ack.getFrom().getTag()));
        if (call != null) {
            call.onAck();
        }
    }

    private void receiveInvite(SIPRequest invite, SipPeer peer) {
        String key = transactionKey(invite, "INVITE");
        if (invite.getTo().getTag() != null) {
            boolean known = dialogs.containsKey(dialogKey(invite.getCallId().getCallId(), invite.getTo().getTag(), invite.getFrom().getTag()));
            rejectInvite(new InviteServerTransaction(this, key, invite, peer), known ? 488 : 481,
                    known ? "re-INVITE Not Supported" : "Call/Transaction Does Not Exist", null);
            return;
        }
        if (dialogs.size() >= MAX_DIALOGS || transactionCount() >= MAX_TRANSACTIONS) {
            SIPResponse busy = messages.response(invite, 503, "Service Unavailable", SipMessages.randomToken());
            messages.add(busy, "Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            send(peer, SipMessages.encode(busy), false);
            return;
        }
        InviteServerTransaction transaction = new InviteServerTransaction(this, key, invite, peer);
        inviteTransactions.put(key, transaction);
        transaction.sendProvisional(SipMessages.encode(messages.response(invite, 100, "Trying", null)));
        if (SipMessages.remoteTarget(invite) == null) {
            rejectInvite(transaction, 400, "Missing or non-SIP Contact", null);
            return;
        }
        byte[] body = invite.getRawContent();
        if (body == null || body.length == 0) {
            rejectInvite(transaction, 488, "Late offer (INVITE without SDP) not supported", null);
            return;
        }
        ContentTypeHeader type = invite.getContentTypeHeader();
        if (type == null || !"application".equalsIgnoreCase(type.getContentType()) || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            rejectInvite(transaction, 415, "Unsupported Media Type", "Accept");
            return;
        }
        if (!acceptsSdp(invite)) {
            rejectInvite(transaction, 406, "Not Acceptable", "Accept");
            return;
        }
        SdpNegotiator.Result result = SdpNegotiator.negotiate(new String(body, StandardCharsets.UTF_8));
        if (result instanceof SdpNegotiator.Rejected rejected) {
            rejectInvite(transaction, 488, "Not Acceptable Here", null);
            LOG.log(System.Logger.Level.DEBUG, "rejected offer of {0}: {1}", invite.getCallId().getCallId(), rejected.reason());
            return;
        }
        long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        ServerCall call = new ServerCall(this, transaction, (SdpNegotiator.Accepted) result, SipMessages.randomToken(), sessionId);
        dialogs.put(call.dialogKey(), call);
        try {
            handler.onInvite(call);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "call handler failed", e);
            if (call.state() == ServerCall.State.EARLY) {
                call.reject(500, "Server Internal Error");
            }
        }
    }

    private void rejectInvite(InviteServerTransaction transaction, int status, String reason, String acceptHeader) {
        inviteTransactions.putIfAbsent(transaction.key(), transaction);
        SIPResponse response = messages.response(transaction.request(), status, reason, SipMessages.randomToken());
        if (acceptHeader != null) {
            messages.add(response, "Accept", SipMessages.SDP);
        }
        transaction.sendFinalNon2xx(SipMessages.encode(response));
    }

    /** RFC 3261 §21.4.7: an Accept header that rules out application/sdp means we cannot answer with SDP. */
    private static boolean acceptsSdp(SIPRequest request) {
        Iterator<?> accepts = request.getHeaders(AcceptHeader.NAME);
        if (accepts == null || !accepts.hasNext()) {
            return true;
        }
        while (accepts.hasNext()) {
            AcceptHeader accept = (AcceptHeader) accepts.next();
            String type = accept.getContentType() == null ? "" : accept.getContentType().toLowerCase(Locale.ROOT);
            String subType = accept.getContentSubType() == null ? "" : accept.getContentSubType().toLowerCase(Locale.ROOT);
            if ((type.equals("application") || type.equals("*")) && (subType.equals("sdp") || subType.equals("*"))) {
                return true;
            }
        }
        return false;
    }

    private void receiveCancel(SIPRequest cancel, SipPeer peer) {
        InviteServerTransaction transaction = inviteTransactions.get(transactionKey(cancel, "INVITE"));
        if (transaction == null) {
            reply(cancel, peer, 481, "Call/Transaction Does Not Exist");
            return;
        }
        ServerCall call = dialogs.values().stream().filter(c -> c.matches(transaction)).findFirst().orElse(null);
        String tag = call != null ? call.localTag() : SipMessages.randomToken();
        reply(cancel, peer, messages.response(cancel, 200, "OK", tag));
        if (transaction.state() == InviteServerTransaction.State.PROCEEDING) {
            if (call != null) {
                call.onCancel();
            } else {
                transaction.sendFinalNon2xx(SipMessages.encode(messages.response(transaction.request(), 487, "Request Terminated", tag)));
            }
        }
    }

    private void receiveBye(SIPRequest bye, SipPeer peer) {
        ServerCall call = dialogs.get(dialogKey(bye.getCallId().getCallId(), bye.getTo().getTag(), bye.getFrom().getTag()));
        if (call == null) {
            reply(bye, peer, 481, "Call/Transaction Does Not Exist");
            return;
        }
        reply(bye, peer, messages.response(bye, 200, "OK", call.localTag()));
        call.onRemoteBye();
    }

    private void receiveOptions(SIPRequest options, SipPeer peer) {
        SIPResponse ok = messages.response(options, 200, "OK", SipMessages.randomToken());
        messages.add(ok, "Allow", SipMessages.ALLOW);
        messages.add(ok, "Accept", SipMessages.SDP);
        reply(options, peer, ok);
    }

    private void reply(SIPRequest request, SipPeer peer, int status, String reason) {
        reply(request, peer, messages.response(request, status, reason, SipMessages.randomToken()));
    }

    /** Sends a final response to a non-INVITE request and caches it for timer J (64*T1, UDP) to absorb retransmissions. */
    private void reply(SIPRequest request, SipPeer peer, SIPResponse response) {
        if ("INVITE".equals(request.getMethod())) {
            InviteServerTransaction transaction = new InviteServerTransaction(this, transactionKey(request, "INVITE"), request, peer);
            inviteTransactions.put(transaction.key(), transaction);
            transaction.sendFinalNon2xx(SipMessages.encode(response));
            return;
        }
        byte[] bytes = SipMessages.encode(response);
        send(peer, bytes, false);
        if (!peer.transport().reliable() && transactionCount() < MAX_TRANSACTIONS) {
            String key = transactionKey(request, request.getMethod());
            nonInviteResponses.put(key, bytes);
            scheduler.schedule(() -> nonInviteResponses.remove(key), SipTimers.TIMEOUT);
        }
    }

    private static String requiredOptions(SIPRequest request) {
        List<String> options = new ArrayList<>();
        for (Iterator<?> it = request.getHeaders(RequireHeader.NAME); it.hasNext(); ) {
            options.add(((RequireHeader) it.next()).getOptionTag());
        }
        return String.join(", ", options);
    }

    /**
     * Transaction key (RFC 3261 §17.2.3): branch + sent-by + method when the branch has the magic cookie, otherwise
     * the RFC 2543 fallback of Call-ID, CSeq number, From tag and top Via. ACK and CANCEL pass "INVITE" to find theirs.
     */
    static String transactionKey(SIPRequest request, String method) {
        Via via = request.getTopmostVia();
        String branch = via.getBranch();
        HostPort sentBy = via.getSentBy();
        String sentByText = sentBy == null ? "" : sentBy.encode();
        if (branch != null && branch.startsWith(SipMessages.BRANCH_COOKIE) && branch.length() > SipMessages.BRANCH_COOKIE.length()) {
            return branch + '|' + sentByText + '|' + method;
        }
        return "2543|" + request.getCallId().getCallId() + '|' + request.getCSeq().getSeqNumber() + '|'
                + request.getFrom().getTag() + '|' + via.getTransport() + ' ' + sentByText + '|' + method;
    }

    void registerClientTransaction(String branch, ServerCall call) {
        clientTransactions.put(branch, call);
    }

    void forgetClientTransaction(String branch) {
        clientTransactions.remove(branch);
    }

    void forgetDialog(ServerCall call) {
        dialogs.remove(call.dialogKey(), call);
    }

    void forgetInviteTransaction(InviteServerTransaction transaction) {
        inviteTransactions.remove(transaction.key(), transaction);
    }

    /** Writes {@code bytes} to the peer: a datagram to its address on UDP, the connection on TCP. */
    void send(SipPeer peer, byte[] bytes) {
        send(peer, bytes, false);
    }

    private void send(SipPeer peer, byte[] bytes, boolean closeAfter) {
        if (peer.transport() == Transport.UDP) {
            peer.channel().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer.remote()))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            return;
        }
        if (!peer.channel().isActive()) {
            LOG.log(System.Logger.Level.DEBUG, "TCP connection to {0} closed; message dropped", peer.remote());
            return;
        }
        var future = peer.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes));
        future.addListener(closeAfter ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Stops everything: timers are ignored from now on and listeners get onTerminated. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServerCall call : new ArrayList<>(dialogs.values())) {
            call.abandon();
        }
        for (InviteServerTransaction transaction : new ArrayList<>(inviteTransactions.values())) {
            transaction.terminate();
        }
        nonInviteResponses.clear();
        clientTransactions.clear();
    }
}
