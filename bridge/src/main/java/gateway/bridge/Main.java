package gateway.bridge;

import gateway.bridge.logging.Logging;
import gateway.config.ConfigException;
import gateway.config.ConfigLoader;
import gateway.config.EffectiveSetting;
import gateway.config.GatewayConfig;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts the gateway from the command line: {@code ./gateway [--config FILE] [--key=value ...]}. */
public final class Main {

    private static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    /** Prints the effective configuration, secrets masked, with where each value came from, and exits. */
    static final String PRINT_CONFIG = "--print-config";
    /** Validates the configuration and exits: 0 when valid, 2 with the key named when not. */
    static final String CHECK_CONFIG = "--check-config";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            // Sampling leak detection records a stack trace for one buffer in 128 on the audio path; tests run it
            // at paranoid level instead. Set -Dio.netty.leakDetection.level to turn it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        if (argv.contains("--help") || argv.contains("-h")) {
            System.out.print(ConfigLoader.help());
            return;
        }
        boolean print = argv.remove(PRINT_CONFIG);
        boolean check = argv.remove(CHECK_CONFIG);
        GatewayConfig config;
        try {
            if (print || check) {
                List<EffectiveSetting> settings = ConfigLoader.effective(argv, System.getenv());
                if (print) {
                    settings.forEach(System.out::println);
                } else {
                    System.out.println("configuration valid: " + settings.size() + " keys");
                }
                return;
            }
            config = ConfigLoader.load(argv, System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(config.log());
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (Exception e) {
            System.err.println("cannot start: " + e);
            System.exit(1);
            return;
        }
        GracefulStop stop = new GracefulStop(gateway, config.shutdown());
        TermSignal.handle(stop::onTerm);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shutdown"));
        stop.await();
        System.exit(0);
    }
}
