package gateway.rtp;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** A System.Logger that keeps every line, for tests that assert what is logged and how often. */
final class RecordingLogger implements System.Logger {

    record Line(Level level, String message, Throwable thrown) {
    }

    final List<Line> lines = new ArrayList<>();

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(new Line(level, msg, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String message = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
        lines.add(new Line(level, message, null));
    }

    List<String> messages(Level level) {
        return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
    }
}
