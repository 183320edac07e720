package gateway.library;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A {@code GET /api/stats} request: the calls started in [{@code since}, {@code until}), of one routing profile or
 * all ({@code profile} null), counted per {@link Bucket} of UTC time.
 */
public record StatsQuery(Instant since, Instant until, String profile, Bucket bucket) {

    /** Most buckets one answer holds: a month of hours, two years of days. */
    public static final int MAX_BUCKETS = 744;

    /** The width of a bucket; buckets start on whole UTC hours or days. */
    public enum Bucket {
        HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        private final ChronoUnit unit;

        Bucket(ChronoUnit unit) {
            this.unit = unit;
        }

        /** The start of the bucket {@code at} falls in. */
        public Instant floor(Instant at) {
            return at.truncatedTo(unit);
        }

        public Duration width() {
            return unit.getDuration();
        }

        /** The lower-case name the API uses. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public StatsQuery {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(bucket, "bucket");
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
        if (bucketCount(since, until, bucket) > MAX_BUCKETS) {
            throw new IllegalArgumentException("more than " + MAX_BUCKETS + " buckets");
        }
    }

    /** How many buckets [{@code since}, {@code until}) touches. */
    public static long bucketCount(Instant since, Instant until, Bucket bucket) {
        Instant first = bucket.floor(since);
        Instant last = bucket.floor(until.minusMillis(1));
        return Duration.between(first, last).dividedBy(bucket.width()) + 1;
    }
}
