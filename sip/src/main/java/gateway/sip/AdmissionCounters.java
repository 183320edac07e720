package gateway.sip;

import gateway.sip.auth.AuthOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests were refused, by reason, and what digest authentication decided, by outcome; counted on the
 * SIP threads, read from any thread (for {@code /metrics}).
 */
public final class AdmissionCounters {

    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final Map<AuthOutcome.Reason, LongAdder> authNotAccepted = new EnumMap<>(AuthOutcome.Reason.class);
    private final LongAdder authAccepted = new LongAdder();

    AdmissionCounters() {
        for (Refusal refusal : Refusal.values()) {
            refused.put(refusal, new LongAdder());
        }
        for (AuthOutcome.Reason reason : AuthOutcome.Reason.values()) {
            authNotAccepted.put(reason, new LongAdder());
        }
    }

    void refuse(Refusal refusal) {
        refused.get(refusal).increment();
    }

    void count(AuthOutcome outcome) {
        switch (outcome) {
            case AuthOutcome.Accepted accepted -> authAccepted.increment();
            case AuthOutcome.Challenge challenge -> authNotAccepted.get(challenge.reason()).increment();
            case AuthOutcome.Refused refusedAuth -> authNotAccepted.get(refusedAuth.reason()).increment();
        }
    }

    /** Requests refused for {@code refusal} since start. */
    public long refused(Refusal refusal) {
        return refused.get(refusal).sum();
    }

    /** Requests digest authentication did not accept, for {@code reason}, since start. */
    public long authNotAccepted(AuthOutcome.Reason reason) {
        return authNotAccepted.get(reason).sum();
    }

    /** Requests whose digest credentials were right, since start. */
    public long authAccepted() {
        return authAccepted.sum();
    }
}
