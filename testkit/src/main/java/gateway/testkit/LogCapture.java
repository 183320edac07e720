package gateway.testkit;

import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps what code logs while a test runs, for tests that assert what is logged and how often. It listens to a
 * java.util.logging logger (where {@code System.Logger} writes) and its children from {@link #of} until closed, or
 * is handed to the code under test as a {@code System.Logger} ({@link #logger()}). Levels are System.Logger's
 * (java.util.logging's SEVERE is {@link Level#ERROR}). Safe from any thread.
 */
public final class LogCapture implements AutoCloseable {

    /** One logged line: its level, the logger's name, the formatted message and what was thrown, if anything. */
    public record Line(Level level, String logger, String message, Throwable thrown) {

        /** "LEVEL message", e.g. {@code WARNING disk full}. */
        @Override
        public String toString() {
            return level.getName() + " " + message;
        }
    }

    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger listened;
    private final java.util.logging.Level levelBefore;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(level(record.getLevel()), record.getLoggerName(), FORMATTER.formatMessage(record),
                    record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Logger listened) {
        this.listened = listened;
        this.levelBefore = listened == null ? null : listened.getLevel();
        if (listened != null) {
            listened.addHandler(handler);
        }
    }

    /** Listens to the logger of {@code source} (the name System.getLogger(source.getName()) uses). */
    public static LogCapture of(Class<?> source) {
        return of(source.getName());
    }

    /** Listens to the logger {@code name} and those below it; the empty name is every logger of the process. */
    public static LogCapture of(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    /**
     * Listens to the logger {@code name} and those below it at every level, debug included (the level it had comes
     * back on close): for tests that must see what code logs only at debug, such as a handler's last resort.
     */
    public static LogCapture everything(String name) {
        LogCapture capture = of(name);
        capture.listened.setLevel(java.util.logging.Level.ALL);
        return capture;
    }

    /** Listens to nothing: the lines come only from {@link #logger()}. */
    public static LogCapture detached() {
        return new LogCapture(null);
    }

    /** A System.Logger, at every level, whose lines are kept here. */
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "capture";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                lines.add(new Line(level, getName(), msg, thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                String message = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
                lines.add(new Line(level, getName(), message, null));
            }
        };
    }

    /** Every line so far, in order. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Every line so far as "LEVEL message", in order. */
    public List<String> lineTexts() {
        return lines.stream().map(Line::toString).toList();
    }

    /** The messages logged at exactly {@code level}, in order. */
    public List<String> messages(Level level) {
        return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
    }

    /** Stops listening. */
    @Override
    public void close() {
        if (listened != null) {
            listened.removeHandler(handler);
            listened.setLevel(levelBefore);
        }
    }

    private static Level level(java.util.logging.Level level) {
        int value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        } else if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARNING;
        } else if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        } else if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }
}
