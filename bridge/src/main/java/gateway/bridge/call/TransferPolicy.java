package gateway.bridge.call;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a call's agent may hand the caller to a person ({@code agent.transfer-*}): the default {@code target} of the
 * transfer_call tool (null: no tool), the named {@code destinations} the model may choose from, which context goes
 * into Refer-To ({@code xHeaders}: X-Call-Id and X-Transfer-Reason; {@code userToUser}: RFC 7433), the longest wait
 * for the transfer's outcome, and the {@code fallback} target when no Realtime session can be opened (or null).
 */
public record TransferPolicy(String target, Map<String, String> destinations, boolean xHeaders, boolean userToUser,
                             long timeoutMs, String fallback) {

    /** No transfer tool and no fallback. */
    public static final TransferPolicy NONE = new TransferPolicy(null, Map.of(), true, false, 30_000, null);

    public TransferPolicy {
        destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
        }
        if (target == null && !destinations.isEmpty()) {
            throw new IllegalArgumentException("named destinations need a default target");
        }
    }

    /** True when the model is offered transfer_call. */
    public boolean toolOffered() {
        return target != null;
    }

    /** The SIP URI for {@code destination} (null or blank: the default target), or null for an unknown name. */
    String resolve(String destination) {
        if (destination == null || destination.isBlank()) {
            return target;
        }
        return destinations.get(destination);
    }
}
