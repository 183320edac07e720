package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * Non-INVITE server transaction (RFC 3261 §17.2.2): absorbs retransmitted requests, re-sending the last
 * response, until timer J (64*T1 on UDP, 0 on TCP) after the final one. A transaction made when the table is full
 * is not registered: it answers once and absorbs nothing. Used on the SIP event loop only.
 */
final class NonInviteServerTransaction implements ServerTransaction {

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final Transactions owner;
    private final String key;
    private final SIPRequest request;
    private final SipPeer peer;
    private State state = State.TRYING;
    private byte[] lastResponse;

    NonInviteServerTransaction(Transactions owner, String key, SIPRequest request, SipPeer peer) {
        this.owner = owner;
        this.key = key;
        this.request = request;
        this.peer = peer;
    }

    @Override
    public SIPRequest request() {
        return request;
    }

    @Override
    public SipPeer peer() {
        return peer;
    }

    @Override
    public void respond(SIPResponse response) {
        if (state == State.COMPLETED || state == State.TERMINATED) {
            return;
        }
        lastResponse = SipMessages.encode(response);
        owner.transport().send(peer, lastResponse);
        if (response.getStatusCode() < 200) {
            state = State.PROCEEDING;
            return;
        }
        state = State.COMPLETED;
        if (peer.transport().reliable()) {
            terminate();
        } else {
            owner.scheduler().schedule(this::terminate, SipTimers.TIMEOUT);
        }
    }

    /** Trying: nothing to say yet; Proceeding and Completed: the last response again (§17.2.2). */
    @Override
    public void onRetransmission() {
        if (lastResponse != null && (state == State.PROCEEDING || state == State.COMPLETED)) {
            owner.transport().send(peer, lastResponse);
        }
    }

    /** Timer J: drop the transaction. */
    @Override
    public void terminate() {
        if (state != State.TERMINATED) {
            state = State.TERMINATED;
            owner.forget(key, this);
        }
    }
}
