package gateway.sip;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import java.util.Properties;

/**
 * jain-sip's logger backed by {@link System.Logger}, installed so the parser never touches log4j (excluded from the
 * classpath). Only warnings and errors are forwarded; jain-sip's debug chatter is dropped.
 */
final class SystemStackLogger implements StackLogger {

    private static final System.Logger LOG = System.getLogger("gateway.sip.jainsip");
    private static volatile boolean installed;

    private SystemStackLogger() {
    }

    /** Makes jain-sip log through this class; call before using any jain-sip parser (idempotent). */
    static void install() {
        if (!installed) {
            synchronized (SystemStackLogger.class) {
                if (!installed) {
                    CommonLogger.useLegacyLogger = true;
                    CommonLogger.legacyLogger = new SystemStackLogger();
                    installed = true;
                }
            }
        }
    }

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() {
        return 0;
    }
    @Override public void logException(Throwable ex) {
        LOG.log(System.Logger.Level.DEBUG, "jain-sip exception", ex);
    }
    @Override public void logDebug(String message) { }
    @Override public void logDebug(String message, Exception ex) { }
    @Override public void logTrace(String message) { }
    @Override public void logFatalError(String message) {
        LOG.log(System.Logger.Level.ERROR, message);
    }
    @Override public void logError(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }
    @Override public boolean isLoggingEnabled() {
        return false;
    }
    @Override public boolean isLoggingEnabled(int logLevel) {
        return logLevel <= TRACE_ERROR && logLevel > TRACE_NONE;
    }
    @Override public void logError(String message, Exception ex) {
        LOG.log(System.Logger.Level.DEBUG, message, ex);
    }
    @Override public void logWarning(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }
    @Override public void logInfo(String message) { }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() {
        return "gateway.sip.jainsip";
    }
}
