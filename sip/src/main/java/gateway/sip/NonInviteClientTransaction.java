package gateway.sip;

import gov.nist.javax.sip.message.SIPResponse;

/**
 * Non-INVITE client transaction (RFC 3261 §17.1.2): sends our request, retransmits it on UDP (timer E: T1 doubling
 * to T2, every T2 once a provisional came), gives up after timer F (64*T1), and after the final response lingers
 * for timer K (T4 on UDP, 0 on TCP) to absorb its retransmissions. Responses are matched to it by top Via branch
 * and CSeq method (§17.1.3). Used on the SIP event loop only.
 */
final class NonInviteClientTransaction implements ClientTransaction {

    /** What the transaction user hears: one of the two, once. */
    interface Listener {

        /** A final response arrived. */
        void onFinalResponse(SIPResponse response);

        /** Timer F fired or the transport failed (§17.1.2.2, §17.1.4); treat as 408. */
        void onTimeout();
    }

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final Transactions owner;
    private final String key;
    private final SipPeer peer;
    private final byte[] request;
    private final Listener listener;
    private State state = State.TRYING;
    private Retransmission timers;

    NonInviteClientTransaction(Transactions owner, String key, SipPeer peer, byte[] request, Listener listener) {
        this.owner = owner;
        this.key = key;
        this.peer = peer;
        this.request = request;
        this.listener = listener;
    }

    /** The key responses are matched by (§17.1.3). */
    static String key(String branch, String method) {
        return branch + '|' + method;
    }

    State state() {
        return state;
    }

    /** Sends the request and starts timers E and F. */
    void start() {
        owner.transport().send(peer, request);
        timers = Retransmission.start(owner.scheduler(), peer.transport().reliable(),
                Retransmission.Backoff.DOUBLING_TO_T2, () -> owner.transport().send(peer, request), this::timedOut);
    }

    /** A response matched by branch and method. */
    @Override
    public void onResponse(SIPResponse response) {
        if (state == State.COMPLETED || state == State.TERMINATED) {
            return;
        }
        if (response.getStatusCode() < 200) {
            state = State.PROCEEDING;
            timers.slowToT2();
            return;
        }
        timers.stop();
        state = State.COMPLETED;
        if (peer.transport().reliable()) {
            terminate();
        } else {
            owner.scheduler().schedule(this::terminate, SipTimers.T4);
        }
        listener.onFinalResponse(response);
    }

    private void timedOut() {
        if (state == State.TRYING || state == State.PROCEEDING) {
            terminate();
            listener.onTimeout();
        }
    }

    /** Ends the transaction without telling the listener (timer K, or the dialog went away). */
    @Override
    public void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        if (timers != null) {
            timers.stop();
        }
        state = State.TERMINATED;
        owner.forget(key, this);
    }
}
