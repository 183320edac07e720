package gateway.bridge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import gateway.config.GatewayConfig;
import gateway.time.Clock;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets Logback up as {@code log.*} says: one console appender on standard error, the text or JSON layout, the root
 * level and the repeat limit. Every logging API in the process ends there: SLF4J (Netty, the AWS SDK),
 * {@code System.Logger} (the gateway's own code, through slf4j-jdk-platform-logging) and java.util.logging (the JDK's
 * remaining users, through jul-to-slf4j).
 */
public final class Logging {

    /** What the gateway logs with before its configuration is read (and in tests): text, INFO, 20 repeats. */
    static final GatewayConfig.Log DEFAULTS = new GatewayConfig.Log(false, "INFO", 20);

    private Logging() {
    }

    /** Replaces the logging set-up of the process with {@code settings}. */
    public static void configure(GatewayConfig.Log settings) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            configure(context, settings);
        }
    }

    /** Sets {@code context} up as {@code settings} says; the context is empty (new or reset). */
    static void configure(LoggerContext context, GatewayConfig.Log settings) {
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LayoutBase<ILoggingEvent> layout = settings.json() ? new JsonLineLayout() : new TextLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        root.addAppender(console);
        if (settings.repeatLimit() > 0) {
            RepeatLimitFilter limit = new RepeatLimitFilter(Clock.system(), settings.repeatLimit());
            limit.setContext(context);
            limit.start();
            context.addTurboFilter(limit);
        }
    }
}
