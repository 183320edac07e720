package gateway.bridge.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.bridge.call.CallEvent;
import gateway.library.CallJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The body of a call event, as the README's "Call events" section documents it: {@code id} (unique, for the
 * receiver to drop a repeat), {@code type}, {@code call_id}, {@code sequence} (1, 2, … per call), {@code at} (ISO
 * 8601, UTC) and the type's own fields in {@code data}. Stateless.
 */
final class CallEventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallEventJson() {
    }

    /** The event's JSON bytes; {@code recordingUrl}: the QA API's URL of the call (for an answered call's end). */
    static byte[] encode(String id, String callId, long sequence, Instant at, CallEvent event, String recordingUrl) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("type", event.type());
        root.put("call_id", callId);
        root.put("sequence", sequence);
        root.put("at", at.toString());
        ObjectNode data = root.putObject("data");
        switch (event) {
            case CallEvent.Started s -> data.put("profile", s.profile()).put("from", s.from()).put("to", s.to())
                    .put("sip_call_id", s.sipCallId()).put("source", s.source());
            case CallEvent.Answered a -> data.put("codec", a.codec());
            case CallEvent.Transferred t -> data.put("target", t.target()).put("outcome", t.outcome());
            case CallEvent.Ended e -> {
                data.put("end_reason", e.endReason()).put("answered", e.answered())
                        .put("duration_ms", e.durationMs());
                data.put("recording_url", e.answered() ? recordingUrl : null);
                CallJson.writeUsage(data.putObject("usage"), e.usage());
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
