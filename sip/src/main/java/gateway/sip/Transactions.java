package gateway.sip;

import gateway.time.Scheduler;
import gov.nist.core.HostPort;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The transaction layer (RFC 3261 §17): the open server and client transactions by key, bounded by
 * {@link #MAX_TRANSACTIONS}. Used on the SIP event loop only.
 */
final class Transactions {

    /** Open transactions we keep; beyond this INVITEs get 503 and non-INVITE requests are answered statelessly. */
    static final int MAX_TRANSACTIONS = 16384;

    private final Scheduler scheduler;
    private final TransportLayer transport;
    private final Map<String, ServerTransaction> servers = new HashMap<>();
    private final Map<String, ClientTransaction> clients = new HashMap<>();

    Transactions(Scheduler scheduler, TransportLayer transport) {
        this.scheduler = scheduler;
        this.transport = transport;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    TransportLayer transport() {
        return transport;
    }

    int count() {
        return servers.size() + clients.size();
    }

    boolean full() {
        return count() >= MAX_TRANSACTIONS;
    }

    /**
     * The open server transaction {@code request} belongs to (ACK and CANCEL: pass "INVITE" to find theirs), or null.
     */
    ServerTransaction server(SIPRequest request, String method) {
        return servers.get(key(request, method));
    }

    /** The open INVITE server transaction for {@code request} (an ACK or CANCEL), or null. */
    InviteServerTransaction invite(SIPRequest request) {
        return servers.get(key(request, "INVITE")) instanceof InviteServerTransaction invite ? invite : null;
    }

    /** A new INVITE server transaction, or null when the table is full. */
    InviteServerTransaction newInvite(SIPRequest request, SipPeer peer) {
        if (full()) {
            return null;
        }
        String key = key(request, "INVITE");
        InviteServerTransaction transaction = new InviteServerTransaction(this, key, request, peer);
        servers.put(key, transaction);
        return transaction;
    }

    /** A new non-INVITE server transaction; registered (absorbing retransmissions) on UDP while there is room. */
    NonInviteServerTransaction newNonInvite(SIPRequest request, SipPeer peer) {
        String key = key(request, request.getMethod());
        NonInviteServerTransaction transaction = new NonInviteServerTransaction(this, key, request, peer);
        if (!peer.transport().reliable() && !full()) {
            servers.put(key, transaction);
        }
        return transaction;
    }

    /** Starts a client transaction for our request {@code bytes} with top Via branch {@code branch}. */
    NonInviteClientTransaction startClient(String branch, String method, SipPeer peer, byte[] bytes,
                                           NonInviteClientTransaction.Listener listener) {
        String key = NonInviteClientTransaction.key(branch, method);
        NonInviteClientTransaction transaction = new NonInviteClientTransaction(this, key, peer, bytes, listener);
        clients.put(key, transaction);
        transaction.start();
        return transaction;
    }

    /** Starts an INVITE client transaction for our re-INVITE {@code request} with top Via branch {@code branch}. */
    InviteClientTransaction startInvite(String branch, SipPeer peer, SIPRequest request,
                                        InviteClientTransaction.Listener listener) {
        String key = NonInviteClientTransaction.key(branch, SipMethod.INVITE.name());
        InviteClientTransaction transaction = new InviteClientTransaction(this, key, peer, request, listener);
        clients.put(key, transaction);
        transaction.start();
        return transaction;
    }

    /** Hands a response to its client transaction (§17.1.3); a response matching none is dropped (§18.1.2). */
    void receiveResponse(SIPResponse response) {
        Via via = response.getTopmostVia();
        CSeq cseq = (CSeq) response.getCSeq();
        if (via == null || via.getBranch() == null || cseq == null) {
            return;
        }
        ClientTransaction transaction = clients.get(NonInviteClientTransaction.key(via.getBranch(), cseq.getMethod()));
        if (transaction != null) {
            transaction.onResponse(response);
        }
    }

    void forget(String key, ServerTransaction transaction) {
        servers.remove(key, transaction);
    }

    void forget(String key, ClientTransaction transaction) {
        clients.remove(key, transaction);
    }

    /** Server shutdown: every transaction ends without sending anything more. */
    void closeAll() {
        for (ServerTransaction transaction : new ArrayList<>(servers.values())) {
            transaction.terminate();
        }
        for (ClientTransaction transaction : new ArrayList<>(clients.values())) {
            transaction.terminate();
        }
    }

    /**
     * Transaction key (RFC 3261 §17.2.3): branch + sent-by + method when the branch has the magic cookie, otherwise
     * the RFC 2543 fallback of Call-ID, CSeq number, From tag and top Via.
     */
    static String key(SIPRequest request, String method) {
        Via via = request.getTopmostVia();
        String branch = via.getBranch();
        HostPort sentBy = via.getSentBy();
        String sentByText = sentBy == null ? "" : sentBy.encode();
        if (branch != null && branch.startsWith(SipMessages.BRANCH_COOKIE)
                && branch.length() > SipMessages.BRANCH_COOKIE.length()) {
            return branch + '|' + sentByText + '|' + method;
        }
        return "2543|" + request.getCallId().getCallId() + '|' + request.getCSeq().getSeqNumber() + '|'
                + request.getFrom().getTag() + '|' + via.getTransport() + ' ' + sentByText + '|' + method;
    }
}
