package gateway.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects every log message of the process (System.Logger goes to java.util.logging) while installed. */
final class LogCapture extends Handler implements AutoCloseable {

    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> messages = new ArrayList<>();
    private final Logger root = Logger.getLogger("");

    LogCapture() {
        root.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        messages.add(record.getLoggerName() + ": " + formatter.formatMessage(record));
    }

    synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
