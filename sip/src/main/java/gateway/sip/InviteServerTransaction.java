package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * INVITE server transaction (RFC 3261 §17.2.1, with the RFC 6026 Accepted state): re-sends the last response on
 * INVITE retransmissions, retransmits a non-2xx final on UDP (timer G) until its ACK or timer H, then lingers
 * (timer I / L) to absorb stray retransmissions before it is forgotten. A 2xx is sent once; retransmitting it is
 * the UAS core's job ({@link PendingAck}). Used on the SIP event loop only.
 */
final class InviteServerTransaction implements ServerTransaction {

    enum State { PROCEEDING, COMPLETED, ACCEPTED, CONFIRMED, TERMINATED }

    private final Transactions owner;
    private final String key;
    private final SIPRequest request;
    private final SipPeer peer;
    private State state = State.PROCEEDING;
    private byte[] lastResponse;
    private Retransmission timerG;
    private ServerCall call;

    InviteServerTransaction(Transactions owner, String key, SIPRequest request, SipPeer peer) {
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

    State state() {
        return state;
    }

    byte[] lastResponse() {
        return lastResponse;
    }

    /** The call this INVITE created, which a CANCEL ends; null for any other INVITE. */
    ServerCall call() {
        return call;
    }

    void attach(ServerCall created) {
        this.call = created;
    }

    @Override
    public void respond(SIPResponse response) {
        byte[] bytes = SipMessages.encode(response);
        int status = response.getStatusCode();
        if (status < 200) {
            sendProvisional(bytes);
        } else if (status < 300) {
            sendFinal2xx(bytes);
        } else {
            sendFinalNon2xx(bytes);
        }
    }

    /** Sends a provisional response given as bytes (a reliable one, RFC 3262), while no final has gone out. */
    void sendProvisional(byte[] response) {
        if (state == State.PROCEEDING) {
            lastResponse = response;
            owner.transport().send(peer, response);
        }
    }

    /** A retransmitted INVITE: re-send the last response (§17.2.1); silent once confirmed or terminated. */
    @Override
    public void onRetransmission() {
        if (lastResponse != null
                && (state == State.PROCEEDING || state == State.COMPLETED || state == State.ACCEPTED)) {
            owner.transport().send(peer, lastResponse);
        }
    }

    /** A 300-699 final: retransmitted with timer G on UDP until the ACK; timer H gives up. */
    private void sendFinalNon2xx(byte[] response) {
        if (state != State.PROCEEDING) {
            return;
        }
        state = State.COMPLETED;
        lastResponse = response;
        owner.transport().send(peer, response);
        timerG = Retransmission.start(owner.scheduler(), peer.transport().reliable(),
                Retransmission.Backoff.DOUBLING_TO_T2, () -> owner.transport().send(peer, lastResponse),
                this::terminate);
    }

    private void sendFinal2xx(byte[] response) {
        if (state != State.PROCEEDING) {
            return;
        }
        state = State.ACCEPTED;
        lastResponse = response;
        owner.transport().send(peer, response);
    }

    /** The ACK for a non-2xx final (same branch): stop retransmitting, linger for timer I (T4 on UDP, 0 on TCP). */
    void onAck() {
        if (state != State.COMPLETED) {
            return;
        }
        timerG.stop();
        state = State.CONFIRMED;
        lingerThenForget(peer.transport().reliable() ? 0 : SipTimers.T4);
    }

    /**
     * The 2xx was ACKed or given up: keep absorbing retransmitted INVITEs for 64*T1 (RFC 6026 timer L), then forget.
     */
    void finishAccepted() {
        if (state == State.ACCEPTED) {
            state = State.CONFIRMED;
            lingerThenForget(SipTimers.TIMEOUT);
        }
    }

    private void lingerThenForget(long delayNanos) {
        if (delayNanos <= 0) {
            terminate();
        } else {
            owner.scheduler().schedule(this::terminate, delayNanos);
        }
    }

    /** Timer H or the end of the linger: drop the transaction. */
    @Override
    public void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        if (timerG != null) {
            timerG.stop();
        }
        state = State.TERMINATED;
        owner.forget(key, this);
    }
}
