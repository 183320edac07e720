package gateway.bridge.call;

import gateway.library.CallUsage;
import java.util.Objects;

/** A milestone of one call that other systems are told of ({@link CallObserver}); {@link #type()} is its wire name. */
public sealed interface CallEvent {

    /** The event's type as receivers see it, e.g. {@code call.started}. */
    String type();

    /**
     * The INVITE was accepted for handling: the call rings.
     *
     * @param profile   the agent profile that handles the call
     * @param from      the caller's SIP URI
     * @param to        the callee's SIP URI
     * @param sipCallId the SIP Call-ID
     * @param source    the address the INVITE came from
     */
    record Started(String profile, String from, String to, String sipCallId, String source) implements CallEvent {
        @Override
        public String type() {
            return "call.started";
        }
    }

    /** The gateway's 200 OK went out; {@code codec} is the negotiated one (null until a late offer's ACK). */
    record Answered(String codec) implements CallEvent {
        @Override
        public String type() {
            return "call.answered";
        }
    }

    /** The call was transferred (SIP REFER) to {@code target}; {@code outcome} says how that went. */
    record Transferred(String target, String outcome) implements CallEvent {

        public Transferred {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public String type() {
            return "call.transferred";
        }
    }

    /**
     * The call is over.
     *
     * @param endReason  {@link EndReason#label()}
     * @param answered   whether {@code call.answered} was sent (only then is there a recording)
     * @param durationMs the recording's length: from the answer to the end, 0 for a call never answered
     * @param usage      the tokens the call's Realtime sessions used
     */
    record Ended(String endReason, boolean answered, long durationMs, CallUsage usage) implements CallEvent {

        public Ended {
            Objects.requireNonNull(endReason, "endReason");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public String type() {
            return "call.ended";
        }
    }
}
