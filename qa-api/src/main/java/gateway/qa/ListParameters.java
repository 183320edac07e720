package gateway.qa;

import gateway.library.CallId;
import gateway.library.CallQuery;
import gateway.library.CallSort;
import gateway.library.Cursor;
import gateway.library.ListPosition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /api/calls}, checked and turned into a {@link CallQuery}. Every problem is a 400
 * naming the parameter; an unknown or repeated parameter is one too, so a typo never silently widens a search.
 *
 * <ul>
 *   <li>{@code since}, {@code until}: ISO-8601 with an offset ({@code 2026-11-30T18:00:00Z},
 *       {@code …+01:00} with + encoded as %2B), a UTC date ({@code 2026-11-30}), or epoch milliseconds; since is
 *       inclusive, until exclusive, both on the call's start;</li>
 *   <li>{@code from}, {@code to}: case-insensitive substring of the SIP URI;</li>
 *   <li>{@code min_duration_ms}; {@code end_reason} (exact); {@code profile} (exact); {@code q}: words that must
 *       all occur in the transcript, either side, any case;</li>
 *   <li>{@code min_p95_latency_ms}, {@code min_dead_air_ms}, {@code has_talk_over=true}: calls whose conversation
 *       analytics show that much (calls recorded before analytics match none);</li>
 *   <li>{@code replay_of}: the replays of the call with that id ({@code ./gateway replay});</li>
 *   <li>{@code reviewed=true|false}: calls a reviewer scored, or not; {@code min_score}: calls whose mean review
 *       score is at least this (0 to 100; implies reviewed);</li>
 *   <li>{@code sort}: {@code newest} (the default), or worst first by {@code p95_latency}, {@code dead_air}
 *       (the longest stretch), {@code talk_over} (its total) or {@code duration}, ties newest first;</li>
 *   <li>{@code limit}: 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}; {@code cursor}: the
 *       {@code next_cursor} of the previous page.</li>
 * </ul>
 */
final class ListParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Longest q, from or to: a search box, not a document. */
    static final int MAX_TEXT_CHARS = 256;
    static final int MAX_QUERY_WORDS = 16;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,15}");
    private static final Pattern END_REASON = Pattern.compile("[a-z_]{1,64}");
    /** As a routing profile is named in the configuration. */
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> KNOWN = Set.of("since", "until", "from", "to", "min_duration_ms", "end_reason",
            "q", "limit", "cursor", "min_p95_latency_ms", "min_dead_air_ms", "has_talk_over", "profile", "sort",
            "reviewed", "min_score", "replay_of");
    private static final Pattern SCORE = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3})?");

    private ListParameters() {
    }

    static CallQuery parse(Map<String, List<String>> parameters) throws ApiException {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (!KNOWN.contains(p.getKey())) {
                throw ApiException.badRequest(ErrorCodes.UNKNOWN_PARAMETER, "unknown parameter; known: "
                        + String.join(", ", KNOWN.stream().sorted().toList()));
            }
            if (p.getValue().size() > 1) {
                throw invalid(p.getKey(), "is given more than once");
            }
        }
        Instant since = instant(parameters, "since");
        Instant until = instant(parameters, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw invalid("since", "must be before until");
        }
        String q = text(parameters, "q");
        List<String> words = q == null ? List.of() : CallQuery.words(q);
        if (q != null && words.isEmpty()) {
            throw invalid("q", "has no words");
        }
        if (words.size() > MAX_QUERY_WORDS) {
            throw invalid("q", "has more than " + MAX_QUERY_WORDS + " words");
        }
        String endReason = one(parameters, "end_reason");
        if (endReason != null && !END_REASON.matcher(endReason).matches()) {
            throw invalid("end_reason", "must be lower-case letters and '_', e.g. caller_bye");
        }
        String profile = profile(parameters);
        long minDuration = number(parameters, "min_duration_ms", 0);
        long limit = number(parameters, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String sortName = one(parameters, "sort");
        CallSort sort = sortName == null ? CallSort.NEWEST : CallSort.fromJsonName(sortName).orElseThrow(() ->
                invalid("sort", "must be newest, p95_latency, dead_air, talk_over or duration"));
        if (sort != CallSort.NEWEST && one(parameters, "cursor") != null) {
            Cursor.Sorted after = Cursor.decodeSorted(one(parameters, "cursor")).orElseThrow(() ->
                    ApiException.badRequest(ErrorCodes.INVALID_CURSOR, "cursor is not one this API gave out for"
                            + " this sort"));
            return new CallQuery(since, until, text(parameters, "from"), text(parameters, "to"), minDuration,
                    endReason, words, (int) limit, after.position(), analytics(parameters), profile, sort,
                    after.key(), review(parameters), replayOf(parameters));
        }
        return new CallQuery(since, until, text(parameters, "from"), text(parameters, "to"), minDuration, endReason,
                words, (int) limit, sort == CallSort.NEWEST ? cursor(parameters) : null, analytics(parameters),
                profile, sort, 0, review(parameters), replayOf(parameters));
    }

    /** The review filter, or null when none of its parameters is given. */
    private static CallQuery.ReviewFilter review(Map<String, List<String>> parameters) throws ApiException {
        String reviewed = one(parameters, "reviewed");
        if (reviewed != null && !reviewed.equals("true") && !reviewed.equals("false")) {
            throw invalid("reviewed", "must be true or false");
        }
        String minScore = one(parameters, "min_score");
        double score = 0;
        if (minScore != null) {
            score = SCORE.matcher(minScore).matches() ? Double.parseDouble(minScore) : -1;
            if (score < 0 || score > 100) {
                throw invalid("min_score", "must be a number from 0 to 100");
            }
        }
        if (reviewed == null && minScore == null) {
            return null;
        }
        return new CallQuery.ReviewFilter(reviewed == null ? null : Boolean.valueOf(reviewed), score);
    }

    /** The analytics filter, or null when none of its parameters is given. */
    private static CallQuery.AnalyticsFilter analytics(Map<String, List<String>> parameters) throws ApiException {
        long latency = number(parameters, "min_p95_latency_ms", 0);
        long deadAir = number(parameters, "min_dead_air_ms", 0);
        String talkOver = one(parameters, "has_talk_over");
        if (talkOver != null && !talkOver.equals("true") && !talkOver.equals("false")) {
            throw invalid("has_talk_over", "must be true or false");
        }
        boolean wantsTalkOver = "true".equals(talkOver);
        if (latency == 0 && deadAir == 0 && !wantsTalkOver) {
            return null;
        }
        return new CallQuery.AnalyticsFilter(latency, deadAir, wantsTalkOver);
    }

    /** The {@code replay_of} parameter: the id of a call whose replays are asked for, or null when not given. */
    static String replayOf(Map<String, List<String>> parameters) throws ApiException {
        String id = one(parameters, "replay_of");
        if (id != null && !CallId.valid(id)) {
            throw invalid("replay_of", "must be a call id");
        }
        return id;
    }

    /** The {@code profile} parameter: a routing profile's name, or null when not given. */
    static String profile(Map<String, List<String>> parameters) throws ApiException {
        String profile = one(parameters, "profile");
        if (profile != null && !PROFILE.matcher(profile).matches()) {
            throw invalid("profile", "must be a routing profile's name: 1 to 64 letters, digits, '_' or '-'");
        }
        return profile;
    }

    private static ListPosition cursor(Map<String, List<String>> parameters) throws ApiException {
        String raw = one(parameters, "cursor");
        if (raw == null) {
            return null;
        }
        return Cursor.decode(raw).orElseThrow(() -> ApiException.badRequest(ErrorCodes.INVALID_CURSOR,
                "cursor is not one this API gave out"));
    }

    static Instant instant(Map<String, List<String>> parameters, String name) throws ApiException {
        String raw = one(parameters, name);
        if (raw == null) {
            return null;
        }
        if (DIGITS.matcher(raw).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(raw));
        }
        try {
            return raw.length() == "yyyy-mm-dd".length()
                    ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be ISO-8601 with an offset (2026-11-30T18:00:00Z; encode + as %2B),"
                    + " a date (2026-11-30) or epoch milliseconds");
        }
    }

    static long number(Map<String, List<String>> parameters, String name, long absent) throws ApiException {
        String raw = one(parameters, name);
        if (raw == null) {
            return absent;
        }
        if (!DIGITS.matcher(raw).matches()) {
            throw invalid(name, "must be a whole number");
        }
        return Long.parseLong(raw);
    }

    static String text(Map<String, List<String>> parameters, String name) throws ApiException {
        String raw = one(parameters, name);
        if (raw != null && raw.length() > MAX_TEXT_CHARS) {
            throw invalid(name, "is longer than " + MAX_TEXT_CHARS + " characters");
        }
        return raw == null || raw.isEmpty() ? null : raw;
    }

    private static String one(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null ? null : values.get(0);
    }

    private static ApiException invalid(String name, String problem) {
        return ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, name + " " + problem);
    }
}
