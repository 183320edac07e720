package gateway.sip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Logs refused requests as a summary per source and interval instead of a line each: the first refusal after a quiet
 * interval is logged at once (so a single refused caller is seen without delay), then, every interval with
 * refusals, one line for each of the {@value #SOURCES_PER_SUMMARY} sources that had most, and one for the rest.
 * However large a flood, the log grows by a few lines per interval. Not thread-safe: its owner locks.
 */
final class RefusalLog {

    /** Sources named in one summary; the others are added up in one line. */
    static final int SOURCES_PER_SUMMARY = 5;
    /** Sources counted one by one in an interval; a flood from more addresses is added up without them. */
    static final int SOURCES_TRACKED = 1024;

    private final System.Logger log;
    private final long intervalSeconds;
    private final List<SourceTable.Source> pending = new ArrayList<>();
    /** Refusals of sources beyond {@link #SOURCES_TRACKED} in this interval, by reason. */
    private final long[] untracked = new long[Refusal.values().length];
    private boolean quiet = true;

    RefusalLog(System.Logger log, long intervalSeconds) {
        this.log = log;
        this.intervalSeconds = intervalSeconds;
    }

    /** Counts one refusal of {@code source}; returns the line to log now, if any (log it outside the owner's lock). */
    String refused(SourceTable.Source source, Refusal refusal) {
        String now = null;
        if (quiet) {
            quiet = false;
            now = String.format(Locale.ROOT, "refused a request from %s (%s); further refusals are summarised every"
                    + " %d s", source.address.getHostAddress(), refusal.description(), intervalSeconds);
        }
        if (!source.awaitingSummary) {
            if (pending.size() >= SOURCES_TRACKED) {
                untracked[refusal.ordinal()]++;
                return now;
            }
            source.awaitingSummary = true;
            pending.add(source);
        }
        source.refusedSinceSummary[refusal.ordinal()]++;
        return now;
    }

    /**
     * Ends the interval: the summary lines of the refusals counted in it (none when there were none, which makes
     * the next first refusal a line of its own). Log them outside the owner's lock.
     */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        if (pending.isEmpty()) {
            quiet = true;
            return lines;
        }
        pending.sort(Comparator.comparingLong(RefusalLog::total).reversed());
        long[] rest = untracked.clone();
        boolean moreSources = sum(untracked) > 0;
        long restSources = 0;
        for (int i = 0; i < pending.size(); i++) {
            SourceTable.Source source = pending.get(i);
            if (i < SOURCES_PER_SUMMARY) {
                lines.add(String.format(Locale.ROOT, "refused %,d requests from %s in the last %d s (%s)",
                        total(source), source.address.getHostAddress(), intervalSeconds,
                        reasons(source.refusedSinceSummary)));
            } else {
                for (int r = 0; r < rest.length; r++) {
                    rest[r] += source.refusedSinceSummary[r];
                }
                restSources++;
            }
            Arrays.fill(source.refusedSinceSummary, 0);
            source.awaitingSummary = false;
        }
        if (restSources > 0) {
            lines.add(String.format(Locale.ROOT, "refused %,d requests from %s%,d other sources in the last %d s (%s)",
                    sum(rest), moreSources ? "more than " : "", restSources, intervalSeconds, reasons(rest)));
        }
        pending.clear();
        Arrays.fill(untracked, 0);
        return lines;
    }

    /** Logs {@code line} at WARNING. */
    void log(String line) {
        log.log(System.Logger.Level.WARNING, line);
    }

    private static long total(SourceTable.Source source) {
        return sum(source.refusedSinceSummary);
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    private static String reasons(long[] counts) {
        StringBuilder text = new StringBuilder();
        Refusal[] refusals = Refusal.values();
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                if (!text.isEmpty()) {
                    text.append(", ");
                }
                text.append(refusals[r].description());
                if (counts[r] != sum(counts)) {
                    text.append(String.format(Locale.ROOT, ": %,d", counts[r]));
                }
            }
        }
        return text.toString();
    }
}
