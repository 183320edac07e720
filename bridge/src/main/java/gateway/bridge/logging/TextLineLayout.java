package gateway.bridge.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import gateway.transport.CallLogContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code log.format: text}: {@code 2026-12-06 04:00:00.123 INFO  gateway.bridge.call.Call [call id SIP Call-ID]:
 * message}, the bracket only on lines about a call ({@link CallLogContext}), a stack trace on the lines after.
 */
public final class TextLineLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
        line.append(' ').append(String.format("%-5s", event.getLevel())).append(' ').append(event.getLoggerName());
        CallLogContext.Ids ids = CallLogContext.current();
        if (ids != null) {
            line.append(" [").append(ids.callId() == null ? "-" : ids.callId()).append(' ')
                    .append(ids.sipCallId() == null ? "-" : ids.sipCallId()).append(']');
        }
        line.append(": ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
