package gateway.bridge.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's set-up before {@link Logging#configure} runs with the configuration (and in tests): the defaults of
 * {@code log.*}. Found by Logback through {@code META-INF/services}.
 */
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.configure(context, Logging.DEFAULTS);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
