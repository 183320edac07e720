package gateway.bridge;

import gateway.config.ConfigException;
import gateway.config.ConfigLoader;
import gateway.config.GatewayConfig;
import io.netty.util.ResourceLeakDetector;
import java.util.Arrays;
import java.util.List;

/** Starts the gateway from the command line: {@code ./gateway [--config FILE] [--key=value ...]}. */
public final class Main {

    /** One line per record: time, level, logger, message. */
    private static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            // Sampling leak detection records a stack trace for one buffer in 128 on the audio path; tests run it
            // at paranoid level instead. Set -Dio.netty.leakDetection.level to turn it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        List<String> argv = Arrays.asList(args);
        if (argv.contains("--help") || argv.contains("-h")) {
            System.out.print(ConfigLoader.help());
            return;
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(argv, System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (Exception e) {
            System.err.println("cannot start: " + e);
            System.exit(1);
            return;
        }
        GracefulStop stop = new GracefulStop(gateway, config.shutdown().drainSeconds());
        TermSignal.handle(stop::onTerm);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shutdown"));
        stop.await();
        System.exit(0);
    }
}
