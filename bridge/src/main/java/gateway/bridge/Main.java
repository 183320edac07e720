package gateway.bridge;

import gateway.bridge.logging.Logging;
import gateway.config.ConfigException;
import gateway.config.ConfigKey;
import gateway.config.ConfigLoader;
import gateway.config.EffectiveSetting;
import gateway.config.GatewayConfig;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the gateway from the command line: {@code ./gateway [--config FILE] [--key=value ...]}; with
 * {@code --qa-only} (or {@code qa.only: true}) only the QA API and page over the stored calls; {@code ./gateway replay
 * ...} replays recorded calls against an agent ({@link ReplayCommand}).
 */
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
        if (!argv.isEmpty() && argv.get(0).equals(ReplayCommand.NAME)) {
            System.exit(ReplayCommand.run(argv.subList(1, argv.size()), System.getenv(), System.out, System.err));
            return;
        }
        if (argv.contains("--help") || argv.contains("-h")) {
            System.out.print(ConfigLoader.help());
            System.out.println();
            System.out.println("Replay recorded calls against an agent (see README, \"Replay\"):");
            System.out.println("  " + ReplayCommand.usage());
            return;
        }
        boolean print = argv.remove(PRINT_CONFIG);
        boolean check = argv.remove(CHECK_CONFIG);
        if (argv.remove(ConfigLoader.QA_ONLY_FLAG)) {
            argv.add("--" + ConfigKey.QA_ONLY.key() + "=true");
        }
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
        if (config.qaOnly()) {
            runQaOnly(config);
            return;
        }
        Gateway gateway = startOrExit(() -> Gateway.start(config));
        GracefulStop stop = new GracefulStop(gateway, config.shutdown());
        TermSignal.handle(stop::onTerm);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shutdown"));
        stop.await();
        System.exit(0);
    }

    /** Serves the QA API and page over the stored calls until SIGTERM, then exits 0. */
    private static void runQaOnly(GatewayConfig config) throws InterruptedException {
        QaOnlyGateway qa = startOrExit(() -> QaOnlyGateway.start(config));
        CountDownLatch term = new CountDownLatch(1);
        TermSignal.handle(term::countDown);
        Runtime.getRuntime().addShutdownHook(new Thread(qa::close, "shutdown"));
        term.await();
        qa.close();
        System.exit(0);
    }

    /** What {@code start} started, or, when it fails, the reason on standard error and exit status 1. */
    private static <T> T startOrExit(Callable<T> start) {
        try {
            return start.call();
        } catch (Exception e) {
            System.err.println("cannot start: " + e);
            System.exit(1);
            throw new IllegalStateException("exit did not return", e);
        }
    }
}
