package gateway.sip.auth;

/** What digest authentication made of a request: accepted, challenged (401), or refused (403). */
public sealed interface AuthOutcome {

    /** Why a request was not accepted; the label is the one {@code /metrics} counts it under. */
    enum Reason {
        /** No credentials for our realm: the first INVITE of every authenticated call. Not a failure. */
        MISSING("challenged"),
        /** Right credentials on a nonce that is too old or not ours: challenged again with stale=true. */
        STALE("stale"),
        /** A nonce count used before: challenged again with a new nonce (stale=true), the request refused. */
        REPLAYED("replayed"),
        /** No such user, or none with a password for the algorithm the client chose. */
        UNKNOWN_USER("unknown_user"),
        /** The response does not match: a wrong password. */
        BAD_RESPONSE("bad_response"),
        /** Credentials we cannot check: no qop=auth, no cnonce or nc, an algorithm we do not offer. */
        MALFORMED("malformed");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** True when it counts against the source's failure budget: a guess, not a protocol step. */
        public boolean failure() {
            return this == UNKNOWN_USER || this == BAD_RESPONSE || this == MALFORMED;
        }
    }

    /** The credentials are right: {@code user} may call. */
    record Accepted(String user) implements AuthOutcome {
    }

    /** Answer 401 with fresh challenges; {@code stale} when the credentials were right but the nonce was not. */
    record Challenge(Reason reason, boolean stale) implements AuthOutcome {
    }

    /** Answer 403: the credentials are wrong or cannot be checked. */
    record Refused(Reason reason, String user) implements AuthOutcome {
    }
}
