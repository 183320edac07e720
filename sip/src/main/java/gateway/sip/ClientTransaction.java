package gateway.sip;

import gov.nist.javax.sip.message.SIPResponse;

/** A client transaction (RFC 3261 §17.1): a request of ours, matched to its responses by branch and method. */
sealed interface ClientTransaction permits InviteClientTransaction, NonInviteClientTransaction {

    /** A response whose top Via branch and CSeq method are this transaction's (§17.1.3). */
    void onResponse(SIPResponse response);

    /** Ends the transaction at once without telling its user (the dialog went away, or server shutdown). */
    void terminate();
}
