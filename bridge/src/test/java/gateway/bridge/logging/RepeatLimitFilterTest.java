package gateway.bridge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimitFilterTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = context.getLogger("gateway.rtp.RtpReceiveHandler");

    RepeatLimitFilterTest() {
        RepeatLimitFilter filter = new RepeatLimitFilter(now::get, 3);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        lines.setContext(context);
        lines.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void linesDifferingOnlyInNumbersAreHeldBackPastTheLimitThenCounted() {
        for (int port = 40_000; port < 40_010; port++) {
            logger.warn("RTP from unexpected source 10.0.0.9:" + port);
        }
        logger.warn("a different line");
        assertEquals(List.of(
                "gateway.rtp.RtpReceiveHandler RTP from unexpected source 10.0.0.9:40000",
                "gateway.rtp.RtpReceiveHandler RTP from unexpected source 10.0.0.9:40001",
                "gateway.rtp.RtpReceiveHandler RTP from unexpected source 10.0.0.9:40002",
                "gateway.rtp.RtpReceiveHandler a different line"), messages());

        now.addAndGet(RepeatLimitFilter.WINDOW_NANOS - 1);
        logger.warn("RTP from unexpected source 10.0.0.9:1");
        assertEquals(4, lines.list.size(), "still the first window");

        now.addAndGet(1);
        logger.warn("RTP from unexpected source 10.0.0.9:2");
        assertEquals(List.of(
                "gateway.log.repeats 8 more lines like this were held back (3 per 10 s let through): WARN"
                        + " gateway.rtp.RtpReceiveHandler: RTP from unexpected source 10.0.0.9:2",
                "gateway.rtp.RtpReceiveHandler RTP from unexpected source 10.0.0.9:2"),
                messages().subList(4, 6));
    }

    @Test
    void linesBelowTheLevelAreNotCounted() {
        for (int i = 0; i < 10; i++) {
            logger.debug("not logged at INFO");
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.DEBUG);
        for (int i = 0; i < 5; i++) {
            logger.debug("not logged at INFO");
        }
        assertEquals(3, lines.list.size(), messages().toString());
    }
}
