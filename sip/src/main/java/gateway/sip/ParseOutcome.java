package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/** What the parser made of one framed message. */
sealed interface ParseOutcome {

    /** A request that passed syntax checks. */
    record Request(SIPRequest message) implements ParseOutcome {
    }

    /** A response that passed syntax checks. */
    record Response(SIPResponse message) implements ParseOutcome {
    }

    /**
     * A message rejected at the syntax level; {@code status} (400 or 505) is sent if {@code raw} can build a response
     * (see {@link RawHeaders#canAnswer()}), otherwise it is dropped.
     */
    record Invalid(int status, String reason, RawHeaders raw) implements ParseOutcome {
    }
}
