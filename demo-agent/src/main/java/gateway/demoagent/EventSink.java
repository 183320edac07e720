package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where the parts of a session send their server events: the session's socket, which drops them once closing. */
interface EventSink {

    void send(ObjectNode event);

    /** Sends {@code error} for a refused client event (docs/realtime-protocol.md §4, §7) and records its code. */
    void refuse(InvalidEvent refusal, String clientEventId);
}
