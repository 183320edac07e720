package gateway.sip;

import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import javax.sip.SipException;

/**
 * INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026's Accepted state), for the re-INVITEs we send in a
 * dialog: sends the INVITE, resends it on UDP (timer A) until a response comes, and gives up after 64*T1 (timer B;
 * also when only provisional responses came, since a re-INVITE is answered at once). A non-2xx final is ACKed here with
 * the INVITE's branch (§17.1.1.3) and absorbed until timer D; a 2xx goes to the listener, which returns its ACK
 * (§13.2.2.4), re-sent here for each retransmitted 2xx until timer M. Used on the SIP event loop only.
 */
final class InviteClientTransaction implements ClientTransaction {

    /** What the transaction user hears: one of the three, once. */
    interface Listener {

        /** The first 2xx: returns the bytes of the ACK for it, which this transaction sends. */
        byte[] onSuccess(SIPResponse response);

        /** A 300-699 final response, already ACKed. */
        void onFailure(SIPResponse response);

        /** No final response within timer B (§17.1.1.2); treat as 408. */
        void onTimeout();
    }

    enum State { CALLING, PROCEEDING, ACCEPTED, COMPLETED, TERMINATED }

    /** Timer D on UDP (§17.1.1.2: at least 32 s), absorbing retransmitted non-2xx finals. */
    static final long TIMER_D = 32_000_000_000L;

    private final Transactions owner;
    private final String key;
    private final SipPeer peer;
    private final SIPRequest request;
    private final byte[] bytes;
    private final Listener listener;
    private State state = State.CALLING;
    private Retransmission timers;
    private byte[] ack;

    InviteClientTransaction(Transactions owner, String key, SipPeer peer, SIPRequest request, Listener listener) {
        this.owner = owner;
        this.key = key;
        this.peer = peer;
        this.request = request;
        this.bytes = request.encodeAsBytes(peer.transport().name());
        this.listener = listener;
    }

    /** Sends the INVITE and starts timers A and B. */
    void start() {
        owner.transport().send(peer, bytes);
        timers = Retransmission.start(owner.scheduler(), peer.transport().reliable(), Retransmission.Backoff.DOUBLING,
                () -> owner.transport().send(peer, bytes), this::timedOut);
    }

    @Override
    public void onResponse(SIPResponse response) {
        int status = response.getStatusCode();
        if (status < 200) {
            if (state == State.CALLING) {
                state = State.PROCEEDING;
                timers.stopResending();
            }
        } else if (status < 300) {
            success(response);
        } else {
            failure(response);
        }
    }

    private void success(SIPResponse response) {
        if (state == State.ACCEPTED) {
            if (ack != null) {
                owner.transport().send(peer, ack);      // the 2xx again: our ACK was lost (§13.2.2.4)
            }
            return;
        }
        if (state != State.CALLING && state != State.PROCEEDING) {
            return;
        }
        timers.stop();
        state = State.ACCEPTED;
        owner.scheduler().schedule(this::terminate, SipTimers.TIMEOUT);
        ack = listener.onSuccess(response);
        if (ack != null) {
            owner.transport().send(peer, ack);
        }
    }

    private void failure(SIPResponse response) {
        if (state == State.COMPLETED) {
            owner.transport().send(peer, ack);
            return;
        }
        if (state != State.CALLING && state != State.PROCEEDING) {
            return;
        }
        timers.stop();
        state = State.COMPLETED;
        try {
            ack = request.createErrorAck((To) response.getTo()).encodeAsBytes(peer.transport().name());
        } catch (SipException | ParseException e) {
            throw new IllegalStateException("cannot build the ACK of a parsed response", e);
        }
        owner.transport().send(peer, ack);
        if (peer.transport().reliable()) {
            terminate();
        } else {
            owner.scheduler().schedule(this::terminate, TIMER_D);
        }
        listener.onFailure(response);
    }

    private void timedOut() {
        if (state == State.CALLING || state == State.PROCEEDING) {
            terminate();
            listener.onTimeout();
        }
    }

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
