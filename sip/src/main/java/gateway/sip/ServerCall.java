package gateway.sip;

import gateway.time.Cancellable;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One inbound call: the UAS side of the dialog created by an INVITE (RFC 3261 §12, §13.3, §15).
 * Public methods may be called from any thread and hop to the SIP event loop; everything else runs on that loop.
 */
final class ServerCall implements InboundCall {

    private static final System.Logger LOG = System.getLogger(ServerCall.class.getName());
    private static final int DEFAULT_SIP_PORT = 5060;

    enum State { EARLY, ANSWERED, CONFIRMED, BYE_SENT, TERMINATED }

    private final SipCore core;
    private final InviteServerTransaction invite;
    private final SdpNegotiator.Accepted offer;
    private final String localTag;
    private final String dialogKey;
    private final long sessionId;
    private volatile CallListener listener = CallListener.NONE;
    private State state = State.EARLY;
    private boolean byePending;
    private Cancellable timerG;
    private Cancellable timerH;
    private long intervalG;
    private String byeBranch;
    private byte[] byeBytes;
    private SipPeer byeTarget;
    private Cancellable timerE;
    private Cancellable timerF;
    private long intervalE;

    ServerCall(SipCore core, InviteServerTransaction invite, SdpNegotiator.Accepted offer, String localTag, long sessionId) {
        this.core = core;
        this.invite = invite;
        this.offer = offer;
        this.localTag = localTag;
        this.sessionId = sessionId;
        this.dialogKey = SipCore.dialogKey(request().getCallId().getCallId(), localTag, request().getFrom().getTag());
    }

    private SIPRequest request() {
        return invite.request();
    }

    String dialogKey() {
        return dialogKey;
    }

    /** True when this call was created by {@code transaction}. */
    boolean matches(InviteServerTransaction transaction) {
        return invite == transaction;
    }

    String localTag() {
        return localTag;
    }

    State state() {
        return state;
    }

    @Override
    public String callId() {
        return request().getCallId().getCallId();
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
    public java.util.Optional<NegotiatedMedia> offeredMedia() {
        MediaOffer m = offer.media();
        return java.util.Optional.of(new NegotiatedMedia(AudioCodec.valueOf(m.codec()), m.payloadType(),
                m.telephoneEventPt(), m.ptimeMs(), MediaDirection.SENDRECV, m.remoteRtp()));
    }

    @Override
    public void setListener(CallListener l) {
        listener = l == null ? CallListener.NONE : l;
    }

    @Override
    public void ringing() {
        core.onLoop(() -> {
            if (state == State.EARLY) {
                SIPResponse ringing = core.messages().response(request(), 180, null, localTag);
                core.messages().addContact(ringing, core.localPort(), invite.peer().transport());
                invite.sendProvisional(SipMessages.encode(ringing));
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
            SIPResponse ok = core.messages().response(request(), 200, null, localTag);
            core.messages().addContact(ok, core.localPort(), invite.peer().transport());
            core.messages().setSdp(ok, SdpAnswer.build(offer, publicHost, rtpPort, sessionId));
            state = State.ANSWERED;
            invite.sendFinal2xx(SipMessages.encode(ok));
            // RFC 3261 §13.3.1.4: the core retransmits the 2xx (UDP) from T1 doubling to T2 until the ACK, for 64*T1.
            if (!invite.peer().transport().reliable()) {
                intervalG = SipTimers.T1;
                timerG = core.scheduler().schedule(this::retransmit2xx, intervalG);
            }
            timerH = core.scheduler().schedule(this::ackTimeout, SipTimers.TIMEOUT);
            sent.complete(true);
        });
        return sent;
    }

    @Override
    public void reject(int status, String reason) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject needs a 300-699 status: " + status);
        }
        core.onLoop(() -> {
            if (state == State.EARLY) {
                sendFinalNon2xx(status, reason);
                terminated();
            }
        });
    }

    @Override
    public void hangup() {
        core.onLoop(() -> {
            switch (state) {
                case EARLY -> {
                    sendFinalNon2xx(480, "Temporarily Unavailable");
                    terminated();
                }
                // RFC 3261 §15: no BYE on a confirmed dialog before the ACK arrived or the 2xx timed out.
                case ANSWERED -> byePending = true;
                case CONFIRMED -> sendBye();
                default -> { }
            }
        });
    }

    /** The ACK for our 2xx (matched by dialog). */
    void onAck() {
        if (state != State.ANSWERED) {
            return;
        }
        stop2xxTimers();
        invite.finishAccepted();
        state = State.CONFIRMED;
        listener.onAck();
        if (byePending) {
            sendBye();
        }
    }

    /** A CANCEL matched our pending INVITE (RFC 3261 §9.2): 487 to the INVITE (the 200 to CANCEL is sent by the core). */
    void onCancel() {
        if (state != State.EARLY) {
            return;
        }
        sendFinalNon2xx(487, "Request Terminated");
        listener.onCancel();
        terminated();
    }

    /** An in-dialog BYE (the core already answered 200). */
    void onRemoteBye() {
        switch (state) {
            case EARLY -> {
                // RFC 3261 §15.1.2: BYE on an early dialog also ends the INVITE with 487.
                sendFinalNon2xx(487, "Request Terminated");
            }
            case ANSWERED -> {
                stop2xxTimers();
                invite.finishAccepted();
            }
            case BYE_SENT -> stopByeTimers();
            case TERMINATED -> {
                return;
            }
            default -> { }
        }
        listener.onRemoteBye();
        terminated();
    }

    /** A response to our BYE (matched by branch); any final one ends the dialog. */
    void onByeResponse(int status) {
        if (state == State.BYE_SENT && status >= 200) {
            stopByeTimers();
            terminated();
        }
    }

    private void sendFinalNon2xx(int status, String reason) {
        SIPResponse response = core.messages().response(request(), status, reason, localTag);
        invite.sendFinalNon2xx(SipMessages.encode(response));
    }

    private void retransmit2xx() {
        if (state != State.ANSWERED) {
            return;
        }
        core.send(invite.peer(), invite.lastResponse());
        intervalG = SipTimers.next(intervalG);
        timerG = core.scheduler().schedule(this::retransmit2xx, intervalG);
    }

    /** Timer H for the 2xx: tell the listener, then end the dialog with BYE ourselves (RFC 3261 §13.3.1.4). */
    private void ackTimeout() {
        if (state != State.ANSWERED) {
            return;
        }
        stop2xxTimers();
        invite.finishAccepted();
        state = State.CONFIRMED;
        listener.onAckTimeout();
        sendBye();
    }

    private void sendBye() {
        if (state != State.CONFIRMED) {
            return;
        }
        state = State.BYE_SENT;
        Transport transport = invite.peer().transport();
        byeBranch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
        SIPRequest bye = core.messages().bye(request(), localTag, core.nextLocalCseq(), byeBranch, core.localPort(), transport);
        byeBytes = bye.encodeAsBytes(transport.name());
        byeTarget = byeDestination(bye);
        core.registerClientTransaction(byeBranch, this);
        core.send(byeTarget, byeBytes);
        // RFC 3261 §17.1.2.2: timer E on UDP (T1 doubling to T2), timer F = 64*T1 on any transport.
        if (!transport.reliable()) {
            intervalE = SipTimers.T1;
            timerE = core.scheduler().schedule(this::retransmitBye, intervalE);
        }
        timerF = core.scheduler().schedule(this::byeTimeout, SipTimers.TIMEOUT);
    }

    /**
     * Where the BYE goes: the first Route (loose routing) or else the remote Contact, when that names an IP literal;
     * host names would need a blocking DNS lookup, so then (and on TCP) it goes back where the INVITE came from.
     */
    private SipPeer byeDestination(SIPRequest bye) {
        SipPeer origin = invite.peer();
        if (origin.transport() == Transport.TCP) {
            return origin;
        }
        List<Route> routes = SipMessages.routeSet(request());
        SipUri uri = routes.isEmpty() ? (SipUri) bye.getRequestURI() : (SipUri) routes.get(0).getAddress().getURI();
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(uri.getHost());
        if (ip == null) {
            return origin;
        }
        try {
            int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_SIP_PORT;
            return new SipPeer(origin.transport(), origin.channel(), new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException e) {
            return origin;
        }
    }

    private void retransmitBye() {
        if (state != State.BYE_SENT) {
            return;
        }
        core.send(byeTarget, byeBytes);
        intervalE = SipTimers.next(intervalE);
        timerE = core.scheduler().schedule(this::retransmitBye, intervalE);
    }

    private void byeTimeout() {
        if (state == State.BYE_SENT) {
            LOG.log(System.Logger.Level.INFO, "BYE for call {0} got no final response", callId());
            stopByeTimers();
            terminated();
        }
    }

    private void stop2xxTimers() {
        if (timerG != null) {
            timerG.cancel();
            timerG = null;
        }
        if (timerH != null) {
            timerH.cancel();
            timerH = null;
        }
    }

    private void stopByeTimers() {
        if (timerE != null) {
            timerE.cancel();
            timerE = null;
        }
        if (timerF != null) {
            timerF.cancel();
            timerF = null;
        }
    }

    /** Closes the dialog: removes it from the core and tells the listener, exactly once. */
    void terminated() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        stop2xxTimers();
        stopByeTimers();
        if (byeBranch != null) {
            core.forgetClientTransaction(byeBranch);
        }
        core.forgetDialog(this);
        listener.onTerminated();
    }

    /** Server shutdown: stop timers and report termination without sending anything. */
    void abandon() {
        terminated();
    }
}
