package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;

/** A dialog's identity from our side (RFC 3261 §12): Call-ID, our tag and the remote tag. */
record DialogId(String callId, String localTag, String remoteTag) {

    /** The dialog a request from the remote side names: its To tag is ours, its From tag theirs (§12.2.2). */
    static DialogId ofIncoming(SIPRequest request) {
        return new DialogId(request.getCallId().getCallId(), request.getTo().getTag(), request.getFrom().getTag());
    }
}
