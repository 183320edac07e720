package gateway.sip;

import gateway.sip.auth.AuthOutcome;
import gateway.time.Clock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides, from a message's source and first bytes and before it is parsed, whether it goes on: responses only
 * from sources we may talk to, requests from refused sources answered 403 within a budget and else dropped,
 * INVITEs beyond a source's bucket dropped, scanners dropped unanswered (RFC 3261 §26.3.2.4: costly work only for
 * those who may ask for it). It also keeps the failed-authentication budget per source, the counters and the
 * summarising log. Thread-safe: the SIP loop and, for TCP, the connections' loops call it; one lock guards the
 * per-source state, held for a table look-up and, for a request its bucket lets through, a scan of its User-Agent.
 */
final class RequestAdmission {

    /** What happens to a message. */
    enum Decision {
        /** Parse it and handle it. */
        PASS,
        /** Answer it 403 without parsing it (RFC 3261 §8.2.7 stateless). */
        REFUSE,
        /** Drop it unanswered (on TCP, with the connection). */
        DROP
    }

    /** Sources whose state is kept (about 300 bytes each); the least recently heard from goes first. */
    static final int SOURCES_KEPT = 16_384;
    /**
     * 403 answers to refused sources per second, all sources together: refusing must not turn the gateway into a
     * reflector for a flood with forged source addresses.
     */
    static final RateLimit REFUSAL_ANSWERS = new RateLimit(100, 100);
    /** Seconds between two summaries of refused requests. */
    static final long SUMMARY_INTERVAL_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger(RequestAdmission.class.getName());

    private final AccessSettings settings;
    private final Clock clock;
    private final byte[][] scannerWords;
    private final SourceTable table;
    private final TokenBucket refusalAnswers = new TokenBucket(REFUSAL_ANSWERS);
    private final RefusalLog log;
    private final AdmissionCounters counters = new AdmissionCounters();
    private volatile RegisteredContacts contacts = RegisteredContacts.NONE;

    RequestAdmission(AccessSettings settings, Clock clock) {
        this(settings, clock, LOG);
    }

    RequestAdmission(AccessSettings settings, Clock clock, System.Logger logger) {
        this.settings = settings;
        this.clock = clock;
        this.scannerWords = settings.scannerAgents().stream().map(w -> w.getBytes(StandardCharsets.US_ASCII))
                .toArray(byte[][]::new);
        this.table = new SourceTable(SOURCES_KEPT, settings.invites(), settings.authFailures());
        this.log = new RefusalLog(logger, SUMMARY_INTERVAL_SECONDS);
    }

    AdmissionCounters counters() {
        return counters;
    }

    AccessSettings settings() {
        return settings;
    }

    /** The registrars whose INVITEs to our registered users are let in. */
    void registeredContacts(RegisteredContacts registered) {
        this.contacts = registered;
    }

    /**
     * The access of an INVITE from {@code source} to {@code user} (the Request-URI's user, may be null): a registrar
     * calling the user we registered there is let in without a password; a source that needs digest while no
     * digest is configured is refused.
     */
    SourcePolicy.Access access(InetAddress source, String user) {
        SourcePolicy.Access access = settings.policy().of(source);
        if (access != SourcePolicy.Access.OPEN && contacts.accepts(source, user)) {
            return SourcePolicy.Access.OPEN;
        }
        if (access == SourcePolicy.Access.DIGEST && settings.digest() == null) {
            return SourcePolicy.Access.REFUSED;
        }
        return access;
    }

    /** The decision on {@code message}, framed but not parsed, from {@code source}. */
    Decision screen(InetAddress source, byte[] message) {
        SipBytes.Kind kind = SipBytes.kind(message);
        SourcePolicy.Access access = settings.policy().of(source);
        // A registrar we chose is no stranger: its messages are parsed, and the core lets in its new INVITEs to
        // the user registered there (and refuses the others) once it can tell them from in-dialog requests.
        boolean refused = access == SourcePolicy.Access.REFUSED && !contacts.isRegistrar(source);
        if (kind == SipBytes.Kind.RESPONSE || kind == SipBytes.Kind.ACK) {
            return refused ? Decision.DROP : Decision.PASS;
        }
        boolean invite = kind == SipBytes.Kind.INVITE;
        if (!refused && !invite) {
            return Decision.PASS;
        }
        Refusal refusal = null;
        boolean answer = false;
        String line;
        synchronized (this) {
            long now = clock.nanoTime();
            SourceTable.Source state = table.get(source);
            if (!state.invites.take(now)) {
                refusal = Refusal.RATE_LIMITED;
            } else if (access == SourcePolicy.Access.DIGEST && !state.authFailures.available(now)) {
                refusal = Refusal.AUTH_RATE_LIMITED;
            } else if (scannerWords.length > 0 && SipBytes.userAgentContains(message, scannerWords)) {
                refusal = Refusal.SCANNER;
            } else if (refused) {
                refusal = Refusal.SOURCE;
                answer = refusalAnswers.take(now);
            }
            if (refusal == null) {
                return Decision.PASS;
            }
            counters.refuse(refusal);
            line = log.refused(state, refusal);
        }
        if (line != null) {
            log.log(line);
        }
        return answer ? Decision.REFUSE : Decision.DROP;
    }

    /** Counts and summarises a request the core refused after parsing (a registrar's INVITE to another user). */
    void refused(InetAddress source, Refusal refusal) {
        String line;
        synchronized (this) {
            counters.refuse(refusal);
            line = log.refused(table.get(source), refusal);
        }
        if (line != null) {
            log.log(line);
        }
    }

    /**
     * Counts what digest authentication decided for a request from {@code source}; a failure takes from the source's
     * failure budget, and a refusal is summarised like the others.
     */
    void authenticated(InetAddress source, AuthOutcome outcome) {
        counters.count(outcome);
        Refusal refusal = switch (outcome) {
            case AuthOutcome.Accepted accepted -> null;
            case AuthOutcome.Challenge challenge ->
                    challenge.reason() == AuthOutcome.Reason.REPLAYED ? Refusal.REPLAYED : null;
            case AuthOutcome.Refused refusedAuth -> Refusal.AUTH_FAILED;
        };
        if (refusal == null) {
            return;
        }
        String line;
        synchronized (this) {
            SourceTable.Source state = table.get(source);
            if (outcome instanceof AuthOutcome.Refused r && r.reason().failure()) {
                state.authFailures.take(clock.nanoTime());
            }
            counters.refuse(refusal);
            line = log.refused(state, refusal);
        }
        if (line != null) {
            log.log(line);
        }
    }

    /** Logs the summary of the interval that ends now; called every {@value #SUMMARY_INTERVAL_SECONDS} s. */
    void summarise() {
        List<String> lines;
        synchronized (this) {
            lines = log.summary();
        }
        lines.forEach(log::log);
    }
}
