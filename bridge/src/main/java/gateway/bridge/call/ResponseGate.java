package gateway.bridge.call;

import gateway.realtime.ClientEvent;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Keeps a call to one active response at a time (docs/realtime-protocol.md §3): the gateway's own
 * {@code response.create}s (after a tool's output, the greeting, a prompt to a silent caller) wait here until no
 * response is active and none of ours is on its way, then go to the live session one by one. Each carries an
 * {@code event_id}, so an {@code error} about it is recognised: {@code conversation_already_has_active_response}
 * (the service had started a response of its own meanwhile) puts it back first in line until that response is done;
 * any other refusal drops it.
 *
 * <p>Call's loop only.
 */
final class ResponseGate {

    private static final System.Logger LOG = System.getLogger(ResponseGate.class.getName());
    /** The service's code for a response.create while another response is active (§3). */
    static final String ALREADY_ACTIVE = "conversation_already_has_active_response";
    private static final String EVENT_ID_PREFIX = "gw_response_";

    private final String callId;
    private final Consumer<ClientEvent> live;
    private final ArrayDeque<ClientEvent.ResponseCreate> waiting = new ArrayDeque<>();
    private String activeResponseId;
    /** Our response.create on its way: sent, and neither its response.created nor an error about it came yet. */
    private ClientEvent.ResponseCreate sent;
    /** A refusal said a response is active that we have not seen: wait for the next response.done. */
    private boolean blocked;
    private int nextEventId;

    /** {@code live} sends an event to the live session (dropped while there is none). */
    ResponseGate(String callId, Consumer<ClientEvent> live) {
        this.callId = callId;
        this.live = live;
    }

    /** Asks for a response; {@code instructions} (may be null) replace the session's for it alone. */
    void request(String instructions) {
        waiting.addLast(new ClientEvent.ResponseCreate(instructions, EVENT_ID_PREFIX + nextEventId++));
        flush();
    }

    /** {@code response.created} on the live session: it is the active response (ours, if one was on its way). */
    void created(String responseId) {
        activeResponseId = responseId;
        sent = null;
    }

    /** {@code response.done} on the live session: the next waiting request may go. */
    void done(String responseId) {
        if (Objects.equals(responseId, activeResponseId)) {
            activeResponseId = null;
        }
        blocked = false;
        flush();
    }

    /** An {@code error} of the live session; returns true when it was about a response.create of ours. */
    boolean error(String code, String eventId) {
        if (sent == null || eventId == null || !eventId.equals(sent.eventId())) {
            return false;
        }
        if (ALREADY_ACTIVE.equals(code)) {
            waiting.addFirst(sent);
            blocked = true;
        } else {
            LOG.log(Level.WARNING, "call {0}: the service refused a response.create ({1}); it is dropped", callId,
                    code);
        }
        sent = null;
        flush();
        return true;
    }

    /** Another session took over: whatever the old one had active or on its way is gone with it. */
    void sessionReplaced() {
        activeResponseId = null;
        sent = null;
        blocked = false;
        flush();
    }

    /** True when nothing is active, on its way or waiting. */
    boolean idle() {
        return activeResponseId == null && sent == null && waiting.isEmpty();
    }

    /** True while a response is active. */
    boolean responding() {
        return activeResponseId != null;
    }

    /** The call ended: nothing more is sent. */
    void clear() {
        waiting.clear();
    }

    private void flush() {
        if (activeResponseId != null || sent != null || blocked || waiting.isEmpty()) {
            return;
        }
        sent = waiting.pollFirst();
        live.accept(sent);
    }
}
