package gateway.bridge.call;

/**
 * Told of each call's milestones ({@link CallEvent}): on the call's loop, in the order they happen, so it must
 * return at once (hand the event to another thread). An exception it throws is logged and does not touch the call.
 */
@FunctionalInterface
public interface CallObserver {

    /** Observes nothing. */
    CallObserver NONE = (callId, event) -> { };

    /** {@code event} happened to the call {@code callId} (the gateway's id, the recording's directory name). */
    void observe(String callId, CallEvent event);
}
