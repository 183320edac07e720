package gateway.sip;

/**
 * A 2xx to an INVITE (the first or a re-INVITE) that the UAS core retransmits on UDP, T1 doubling to T2, until the
 * ACK arrives, giving up after 64*T1 (RFC 3261 §13.3.1.4). Used on the SIP event loop only.
 */
final class PendingAck {

    private final InviteServerTransaction transaction;
    private final Retransmission retransmission;

    private PendingAck(InviteServerTransaction transaction, Retransmission retransmission) {
        this.transaction = transaction;
        this.retransmission = retransmission;
    }

    /** Starts retransmitting the 2xx just sent on {@code transaction}; {@code onTimeout} runs if no ACK came. */
    static PendingAck start(InviteServerTransaction transaction, Transactions transactions, Runnable onTimeout) {
        SipPeer peer = transaction.peer();
        Retransmission retransmission = Retransmission.start(transactions.scheduler(), peer.transport().reliable(),
                Retransmission.Backoff.DOUBLING_TO_T2,
                () -> transactions.transport().send(peer, transaction.lastResponse()),
                () -> {
                    transaction.finishAccepted();
                    onTimeout.run();
                });
        return new PendingAck(transaction, retransmission);
    }

    /** True when an ACK with CSeq number {@code cseq} acknowledges this 2xx (§13.2.2.4: the INVITE's number). */
    boolean matches(long cseq) {
        return transaction.request().getCSeq().getSeqNumber() == cseq;
    }

    /** The ACK came, or the dialog ended: stop retransmitting and let the transaction linger out. */
    void stop() {
        retransmission.stop();
        transaction.finishAccepted();
    }
}
