package gateway.bridge.call;

import gateway.sip.InDialogNotify;
import gateway.sip.NegotiatedMedia;

/** What the SIP dialog tells a call, as values handed from the SIP loop to the call's loop. */
sealed interface SipEvent {

    /** The ACK for our 2xx arrived. */
    record Acked() implements SipEvent {
    }

    /** The media changed: the answer in a late offer's ACK, or a re-INVITE/UPDATE offer we answered. */
    record MediaChanged(NegotiatedMedia media) implements SipEvent {
    }

    /** A late offer's ACK carried no usable answer. */
    record MediaFailed(String reason) implements SipEvent {
    }

    /** The caller pressed a key, sent in an INFO; {@code durationMs} 0 when it did not say. */
    record InfoDigit(char digit, int durationMs) implements SipEvent {
    }

    /** The caller sent BYE. */
    record RemoteBye() implements SipEvent {
    }

    /** The caller sent CANCEL before the answer. */
    record Cancelled() implements SipEvent {
    }

    /** No ACK came for our 2xx; the SIP layer sends BYE. */
    record AckTimedOut() implements SipEvent {
    }

    /** The session timer ran out unrefreshed (RFC 4028 §10); the SIP layer sends BYE. */
    record SessionExpired() implements SipEvent {
    }

    /** A NOTIFY arrived in the dialog (answered 200): the progress of our REFER, or anything else. */
    record Notified(InDialogNotify message) implements SipEvent {
    }

    /** The dialog is gone for any reason; always the last event. */
    record Terminated() implements SipEvent {
    }
}
