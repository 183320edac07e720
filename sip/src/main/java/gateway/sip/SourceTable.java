package gateway.sip;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state kept per source address (its buckets and what it had refused lately), for at most {@code capacity}
 * sources: the one heard from least recently goes first, so an attacker cycling through many addresses costs a
 * bounded table, and a source evicted and heard again starts with full buckets. Not thread-safe: its owner locks.
 */
final class SourceTable {

    /** One source's state. */
    static final class Source {
        final InetAddress address;
        final TokenBucket invites;
        final TokenBucket authFailures;
        /** Refusals since the last summary, by {@link Refusal} ordinal; see {@link RefusalLog}. */
        final long[] refusedSinceSummary = new long[Refusal.values().length];
        boolean awaitingSummary;

        Source(InetAddress address, RateLimit invites, RateLimit authFailures) {
            this.address = address;
            this.invites = new TokenBucket(invites);
            this.authFailures = new TokenBucket(authFailures);
        }
    }

    private final RateLimit invites;
    private final RateLimit authFailures;
    private final Map<InetAddress, Source> sources;

    SourceTable(int capacity, RateLimit invites, RateLimit authFailures) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.invites = invites;
        this.authFailures = authFailures;
        this.sources = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Source> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The state of {@code address}, created with full buckets when it is new or was evicted. */
    Source get(InetAddress address) {
        Source source = sources.get(address);
        if (source == null) {
            source = new Source(address, invites, authFailures);
            sources.put(address, source);
        }
        return source;
    }

    int size() {
        return sources.size();
    }
}
