package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The dialog layer (RFC 3261 §12.2.2): calls by {@link DialogId}, and every request with a To tag routed to its
 * dialog: 481 when there is none, 500 when its CSeq went backwards, then by method. Used on the SIP event loop only.
 */
final class Dialogs {

    /** Concurrent calls we keep state for; more INVITEs get 503 (RFC 3261 §21.5.4) so memory stays bounded. */
    static final int MAX_DIALOGS = 4096;

    private final SipMessages messages;
    private final Map<DialogId, ServerCall> calls = new HashMap<>();

    Dialogs(SipMessages messages) {
        this.messages = messages;
    }

    int count() {
        return calls.size();
    }

    boolean full() {
        return calls.size() >= MAX_DIALOGS;
    }

    void add(ServerCall call) {
        calls.put(call.dialog().id(), call);
    }

    void remove(ServerCall call) {
        calls.remove(call.dialog().id(), call);
    }

    /** A request with a To tag (not ACK or CANCEL), on its new server transaction. */
    void receive(SIPRequest request, SipMethod method, ServerTransaction transaction) {
        ServerCall call = calls.get(DialogId.ofIncoming(request));
        if (call == null) {
            transaction.respond(messages.response(request, 481, "Call/Transaction Does Not Exist", null));
            return;
        }
        if (!call.dialog().acceptRemoteCseq(request.getCSeq().getSeqNumber())) {
            transaction.respond(messages.response(request, 500, "CSeq Out of Order", null));
            return;
        }
        call.heardFrom(transaction.peer());
        switch (method) {
            case INVITE -> call.onReInvite(request, (InviteServerTransaction) transaction);
            case UPDATE -> call.onUpdate(request, transaction);
            case BYE -> call.onBye(request, transaction);
            case INFO -> call.onInfo(request, transaction);
            case OPTIONS -> {
                SIPResponse ok = messages.response(request, 200, "OK", null);
                messages.addAllow(ok);
                messages.addAcceptSdp(ok);
                transaction.respond(ok);
            }
            default -> {
                SIPResponse notImplemented = messages.response(request, 501, "Not Implemented", null);
                messages.addAllow(notImplemented);
                transaction.respond(notImplemented);
            }
        }
    }

    /** An ACK with a To tag that no INVITE transaction took: to its dialog, or dropped when there is none (§17.2.3). */
    void receiveAck(SIPRequest ack, SipPeer peer) {
        ServerCall call = calls.get(DialogId.ofIncoming(ack));
        if (call != null) {
            call.heardFrom(peer);
            call.onAck(ack);
        }
    }

    /** Server shutdown: every call ends locally (listeners get onTerminated), nothing is sent. */
    void abandonAll() {
        for (ServerCall call : new ArrayList<>(calls.values())) {
            call.terminated();
        }
    }
}
