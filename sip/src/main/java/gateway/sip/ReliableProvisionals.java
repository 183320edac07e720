package gateway.sip;

import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reliable provisional responses to one INVITE (RFC 3262 §3): each carries {@code Require: 100rel} and an RSeq one
 * above the last (the first at random in [1, 2^31 - 1]); it is resent, T1 doubling, until a PRACK acknowledges it,
 * and only then does the next one go out. When 64*T1 pass without its PRACK the INVITE is given up. Used on the SIP
 * event loop only.
 */
final class ReliableProvisionals {

    /** The largest first RSeq (§3: 2^31 - 1). */
    static final long MAX_FIRST_RSEQ = (1L << 31) - 1;

    /** One provisional response of ours: its bytes, RSeq and whether it carries our SDP. */
    private record Provisional(byte[] bytes, long rseq, boolean sdp) {
    }

    private final InviteServerTransaction invite;
    private final Transactions transactions;
    private final Runnable unacknowledged;
    private final Queue<Provisional> queued = new ArrayDeque<>(2);
    private long nextRSeq = ThreadLocalRandom.current().nextLong(1, MAX_FIRST_RSEQ + 1);
    private Provisional outstanding;
    private Retransmission retransmission;

    /** Responses to {@code invite}; {@code unacknowledged} runs when one got no PRACK in 64*T1. */
    ReliableProvisionals(InviteServerTransaction invite, Transactions transactions, Runnable unacknowledged) {
        this.invite = invite;
        this.transactions = transactions;
        this.unacknowledged = unacknowledged;
    }

    /** Sends {@code response} (a 101-199 with our To-tag) reliably, now or once those before it are acknowledged. */
    void send(SIPResponse response, SipMessages messages) {
        long rseq = nextRSeq++;
        messages.add(response, "Require", Extensions.RELIABLE_PROVISIONALS);
        messages.add(response, "RSeq", String.valueOf(rseq));
        Provisional provisional = new Provisional(SipMessages.encode(response), rseq,
                response.getRawContent() != null && response.getRawContent().length > 0);
        if (outstanding == null) {
            transmit(provisional);
        } else {
            queued.add(provisional);
        }
    }

    private void transmit(Provisional provisional) {
        outstanding = provisional;
        invite.sendProvisional(provisional.bytes());
        SipPeer peer = invite.peer();
        retransmission = Retransmission.start(transactions.scheduler(), peer.transport().reliable(),
                Retransmission.Backoff.DOUBLING, () -> transactions.transport().send(peer, provisional.bytes()),
                this::timedOut);
    }

    /**
     * A PRACK with RAck {@code rseq cseq method} (§7.2): true when it acknowledges the outstanding response (which is
     * then no longer resent, and the next queued one goes out), false when it matches nothing (answer 481).
     */
    boolean acknowledge(long rseq, long cseq, String method) {
        if (outstanding == null || rseq != outstanding.rseq() || !SipMethod.INVITE.name().equals(method)
                || cseq != invite.request().getCSeq().getSeqNumber()) {
            return false;
        }
        retransmission.stop();
        outstanding = null;
        Provisional next = queued.poll();
        if (next != null) {
            transmit(next);
        }
        return true;
    }

    /**
     * True while a response with our SDP is unacknowledged: a 2xx may not go out before its PRACK (§3), as the answer
     * in it must be known to have arrived.
     */
    boolean sdpUnacknowledged() {
        return outstanding != null && outstanding.sdp() || queued.stream().anyMatch(Provisional::sdp);
    }

    /**
     * The final response goes out (or the call ends): nothing more is resent or sent (§3). The response in flight
     * stays unacknowledged, so its PRACK, overtaken by our 2xx, still gets 200 rather than 481.
     */
    void stop() {
        if (retransmission != null) {
            retransmission.stop();
        }
        queued.clear();
    }

    private void timedOut() {
        outstanding = null;
        queued.clear();
        unacknowledged.run();
    }
}
