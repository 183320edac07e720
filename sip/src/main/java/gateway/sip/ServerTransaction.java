package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/** A server transaction (RFC 3261 §17.2): the request, where it came from, and how responses to it are sent. */
sealed interface ServerTransaction permits InviteServerTransaction, NonInviteServerTransaction {

    SIPRequest request();

    SipPeer peer();

    /** Sends a response to the request; the transaction decides about retransmissions and its own end. */
    void respond(SIPResponse response);

    /** The request arrived again (same transaction key): answer as the state says, never pass it up. */
    void onRetransmission();

    /** Ends the transaction at once, sending nothing more (timer end, or server shutdown). */
    void terminate();
}
