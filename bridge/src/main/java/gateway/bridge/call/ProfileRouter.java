package gateway.bridge.call;

import gateway.sip.InboundCall;
import java.util.Optional;

/** Picks the agent profile of a new call from its INVITE; empty when the number is unknown and refused (404). */
@FunctionalInterface
public interface ProfileRouter {

    /** The profile for {@code call}, or empty to refuse it. Runs on the SIP loop: it must not block. */
    Optional<AgentProfile> route(InboundCall call);

    /** Every call gets {@code profile}. */
    static ProfileRouter always(AgentProfile profile) {
        return call -> Optional.of(profile);
    }
}
