package gateway.bridge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import gateway.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * {@code log.repeat-limit}: lets at most {@code limit} lines of one kind through per 10 s window and holds back the
 * rest, so a fault that repeats per packet cannot flood the log. A kind is the logger, the level and the message with
 * its digits masked ({@code System.Logger} lines reach Logback already formatted, so addresses, ports and counts are
 * what varies). The first line of a kind after a window that held some back is preceded by one line counting them.
 * Threading: any thread.
 */
final class RepeatLimitFilter extends TurboFilter {

    /** The window the limit counts in. */
    static final long WINDOW_NANOS = 10_000_000_000L;
    /** Kinds remembered at most; past it the memory starts over (a flood of distinct lines is not held back). */
    static final int MAX_KINDS = 4096;
    /** The logger the count lines are written to; its own lines are never held back. */
    static final String LOGGER = "gateway.log.repeats";

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final Clock clock;
    private final int limit;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** A filter letting {@code limit} lines of a kind through per window, timed by {@code clock}. */
    RepeatLimitFilter(Clock clock, int limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /** One kind of line: its window's start, lines seen in it and lines held back. */
    private static final class Kind {
        long windowStart;
        int seen;
        long heldBack;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format == null || LOGGER.equals(logger.getName()) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        String key = logger.getName() + '|' + level + '|' + DIGITS.matcher(format).replaceAll("#");
        if (kinds.size() >= MAX_KINDS && !kinds.containsKey(key)) {
            kinds.clear();
        }
        Kind kind = kinds.computeIfAbsent(key, k -> {
            Kind fresh = new Kind();
            fresh.windowStart = clock.nanoTime();
            return fresh;
        });
        long heldBack;
        synchronized (kind) {
            long now = clock.nanoTime();
            heldBack = 0;
            if (now - kind.windowStart >= WINDOW_NANOS) {
                heldBack = kind.heldBack;
                kind.windowStart = now;
                kind.seen = 0;
                kind.heldBack = 0;
            }
            if (++kind.seen > limit) {
                kind.heldBack++;
                return FilterReply.DENY;
            }
        }
        if (heldBack > 0) {
            logger.getLoggerContext().getLogger(LOGGER).warn("{} more lines like this were held back ({} per {} s"
                    + " let through): {} {}: {}", heldBack, limit, WINDOW_NANOS / 1_000_000_000L, level,
                    logger.getName(), format);
        }
        return FilterReply.NEUTRAL;
    }
}
