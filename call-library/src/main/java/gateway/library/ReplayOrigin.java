package gateway.library;

import java.util.Objects;

/**
 * What a replayed call was replayed from: the recorded call whose caller channel it was fed ({@code replay_of} in
 * call.json) and a label of the agent settings it was replayed against ({@code replay_agent}, e.g.
 * {@code profile sales} or {@code config new-agent.yaml}).
 */
public record ReplayOrigin(String callId, String agent) {

    public ReplayOrigin {
        Objects.requireNonNull(callId, "callId");
        if (!CallId.valid(callId)) {
            throw new IllegalArgumentException("not a call id: " + callId);
        }
        agent = agent == null ? "" : agent;
    }
}
