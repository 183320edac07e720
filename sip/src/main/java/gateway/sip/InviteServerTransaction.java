package gateway.sip;

import gateway.time.Cancellable;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * INVITE server transaction (RFC 3261 §17.2.1, with the RFC 6026 Accepted state): re-sends the last response on
 * INVITE retransmissions, retransmits a non-2xx final on UDP (timer G) until its ACK or timer H, then lingers
 * (timer I / L) to absorb stray retransmissions before it is forgotten. Used on the SIP event loop only.
 */
final class InviteServerTransaction {

    enum State { PROCEEDING, COMPLETED, ACCEPTED, CONFIRMED, TERMINATED }

    private final SipCore core;
    private final String key;
    private final SIPRequest request;
    private final SipPeer peer;
    private State state = State.PROCEEDING;
    private byte[] lastResponse;
    private Cancellable timerG;
    private Cancellable timerH;
    private long intervalG;

    InviteServerTransaction(SipCore core, String key, SIPRequest request, SipPeer peer) {
        this.core = core;
        this.key = key;
        this.request = request;
        this.peer = peer;
    }

    String key() {
        return key;
    }

    SIPRequest request() {
        return request;
    }

    SipPeer peer() {
        return peer;
    }

    State state() {
        return state;
    }

    byte[] lastResponse() {
        return lastResponse;
    }

    /** Sends a 1xx while no final response was sent. */
    void sendProvisional(byte[] response) {
        if (state == State.PROCEEDING) {
            lastResponse = response;
            core.send(peer, response);
        }
    }

    /** A retransmitted INVITE: re-send the last response (§17.2.1); silent once confirmed or terminated. */
    void onRetransmission() {
        if (lastResponse != null && (state == State.PROCEEDING || state == State.COMPLETED || state == State.ACCEPTED)) {
            core.send(peer, lastResponse);
        }
    }

    /** Sends a 300-699 final; retransmitted with timer G on UDP until ACK; timer H gives up. */
    void sendFinalNon2xx(byte[] response) {
        if (state != State.PROCEEDING) {
            return;
        }
        state = State.COMPLETED;
        lastResponse = response;
        core.send(peer, response);
        if (!peer.transport().reliable()) {
            intervalG = SipTimers.T1;
            timerG = core.scheduler().schedule(this::fireG, intervalG);
        }
        timerH = core.scheduler().schedule(this::terminate, SipTimers.TIMEOUT);
    }

    /** Sends the 2xx; its retransmission belongs to the UAS core (§13.3.1.4), see {@link ServerCall}. */
    void sendFinal2xx(byte[] response) {
        if (state != State.PROCEEDING) {
            return;
        }
        state = State.ACCEPTED;
        lastResponse = response;
        core.send(peer, response);
    }

    /** The ACK for a non-2xx final (same branch): stop retransmitting, linger for timer I (T4 on UDP, 0 on TCP). */
    void onAck() {
        if (state != State.COMPLETED) {
            return;
        }
        cancelTimers();
        state = State.CONFIRMED;
        lingerThenForget(peer.transport().reliable() ? 0 : SipTimers.T4);
    }

    /** The 2xx was ACKed or timed out: keep absorbing retransmitted INVITEs for 64*T1 (RFC 6026 timer L), then forget. */
    void finishAccepted() {
        if (state == State.ACCEPTED) {
            state = State.CONFIRMED;
            lingerThenForget(SipTimers.TIMEOUT);
        }
    }

    private void fireG() {
        if (state != State.COMPLETED) {
            return;
        }
        core.send(peer, lastResponse);
        intervalG = SipTimers.next(intervalG);
        timerG = core.scheduler().schedule(this::fireG, intervalG);
    }

    private void lingerThenForget(long delayNanos) {
        if (delayNanos <= 0) {
            terminate();
        } else {
            core.scheduler().schedule(this::terminate, delayNanos);
        }
    }

    /** Timer H or the end of the linger: drop the transaction. */
    void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        cancelTimers();
        state = State.TERMINATED;
        core.forgetInviteTransaction(this);
    }

    private void cancelTimers() {
        if (timerG != null) {
            timerG.cancel();
            timerG = null;
        }
        if (timerH != null) {
            timerH.cancel();
            timerH = null;
        }
    }
}
