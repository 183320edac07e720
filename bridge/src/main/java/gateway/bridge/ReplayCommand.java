package gateway.bridge;

import gateway.bridge.call.AgentProfile;
import gateway.bridge.call.CallContext;
import gateway.bridge.call.CallObserver;
import gateway.bridge.call.EndReason;
import gateway.bridge.call.ProfileRouter;
import gateway.bridge.call.Replay;
import gateway.bridge.call.ReplaySource;
import gateway.bridge.logging.Logging;
import gateway.bridge.metrics.GatewayMetrics;
import gateway.config.ConfigException;
import gateway.config.ConfigLoader;
import gateway.config.GatewayConfig;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.realtime.RealtimeClient;
import gateway.realtime.RealtimeConnector;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.storage.ObjectStorage;
import gateway.time.Scheduler;
import gateway.transport.NettyTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./gateway replay --call <id> [--parallel <n>] [--profile <name>] [--config <file>] [--recordings <dir>]
 * [--key=value ...]}: replays recorded calls against an agent ({@link Replay}), up to {@code --parallel} at once (1
 * by default, at most {@value #MAX_PARALLEL}), and prints each new call's id on a line of its own, in the order the
 * calls were named. {@code --calls id1,id2,...} replays several; {@code --filter "<query>"} every call the QA API's
 * list filters select ({@link CallFilter}). A call not in the recordings directory is read from the bucket when one
 * is configured ({@code storage.s3.*}); the replay is written to the recordings directory. The agent is the
 * configuration's (the file of {@code --config}, the environment, flags) profile {@code --profile}
 * ({@value AgentProfile#DEFAULT_NAME} when not given), the embedded demo agent answering when no API key is set, as
 * for the gateway. Exit status 0 when every replay was recorded, 2 when a
 * call, its files, the profile or the configuration cannot be used (nothing is replayed then; the message names it),
 * 1 when a replay failed (no Realtime session could be had). No SIP, RTP or HTTP port is opened; the originals are
 * only read; crash recovery is left to the gateway (it may be running on the same directory).
 */
final class ReplayCommand {

    /** The word after {@code ./gateway} that selects this command. */
    static final String NAME = "replay";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;
    /** Most replays a batch runs at once ({@code --parallel}): each holds a Realtime session and a recording. */
    static final int MAX_PARALLEL = 16;
    private static final long STOP_SECONDS = 2;

    /** Where the recorded calls are read: the recordings directory, then the bucket when one is configured. */
    private record Originals(CallStore store, String where) {
        ReplaySource load(String id) throws ReplaySource.Unusable {
            return ReplaySource.load(store, id, where);
        }
    }

    /** What the command line asked for. */
    record Options(List<String> calls, String filter, String profile, String configFile, List<String> configArgs,
                   int parallel) {
    }

    /** A command line this command cannot take; the message says what is wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private ReplayCommand() {
    }

    static String usage() {
        return "usage: ./gateway replay (--call <id> | --calls <id>,<id>... | --filter \"<list query>\")"
                + " [--parallel <n>] [--profile <name>] [--config <file>] [--recordings <dir>] [--key=value ...]";
    }

    /** Reads the arguments after {@code replay}; the gateway's own {@code --key=value} flags pass through. */
    static Options parse(List<String> args) throws UsageException {
        List<String> calls = new ArrayList<>();
        String filter = null;
        String profile = null;
        String config = null;
        List<String> configArgs = new ArrayList<>();
        int parallel = 1;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            switch (name) {
                case "--call", "--calls", "--filter", "--profile", "--config", "--recordings", "--parallel" -> {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    switch (name) {
                        case "--call" -> calls.add(value.strip());
                        case "--calls" -> Arrays.stream(value.split(",")).map(String::strip)
                                .filter(id -> !id.isEmpty()).forEach(calls::add);
                        case "--filter" -> filter = value;
                        case "--profile" -> profile = value.strip();
                        case "--parallel" -> parallel = parallel(value.strip());
                        case "--config" -> {
                            config = value;
                            configArgs.add("--" + ConfigLoader.CONFIG_FLAG + "=" + value);
                        }
                        default -> configArgs.add("--recordings.dir=" + value);
                    }
                }
                default -> configArgs.add(arg);
            }
        }
        if (calls.isEmpty() == (filter == null)) {
            throw new UsageException(filter == null ? "name the calls to replay" : "--filter or --call(s), not both");
        }
        return new Options(List.copyOf(calls), filter, profile, config, List.copyOf(configArgs), parallel);
    }

    private static int parallel(String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_PARALLEL) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new UsageException("--parallel: " + value + " is not a number from 1 to " + MAX_PARALLEL);
    }

    /** Runs the command; returns the exit status. */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options;
        GatewayConfig config;
        try {
            options = parse(args);
            config = ConfigLoader.load(options.configArgs(), env);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(usage());
            return UNUSABLE;
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return UNUSABLE;
        }
        String profileName = options.profile() == null ? AgentProfile.DEFAULT_NAME : options.profile();
        try (RoutingProfiles profiles = RoutingProfiles.of(config, InstantSource.system())) {
            AgentProfile profile = profiles.named(profileName).orElse(null);
            if (profile == null) {
                err.println("no profile " + profileName + ": the configuration has " + profiles.names());
                return UNUSABLE;
            }
            ObjectStorage bucket = config.storage().enabled()
                    ? ObjectStorage.reader(Gateway.storageSettings(config.storage()), config.recordings().dir()) : null;
            try {
                Originals originals = bucket == null
                        ? new Originals(new LocalCallStore(config.recordings().dir()),
                                config.recordings().dir().toString())
                        : new Originals(bucket.store(), config.recordings().dir() + " or the bucket "
                                + config.storage().bucket());
                List<String> ids;
                try {
                    ids = options.filter() == null ? options.calls()
                            : CallFilter.select(config.recordings().dir(), options.filter());
                    for (String id : ids) {
                        originals.load(id);     // every one usable before any is replayed
                    }
                } catch (ReplaySource.Unusable | CallFilter.BadFilter e) {
                    err.println(e.getMessage());
                    return UNUSABLE;
                }
                return replay(config, profile, originals, ids, options.parallel(), label(options, profileName), out,
                        err);
            } finally {
                Gateway.closeQuietly(bucket);
            }
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return UNUSABLE;
        } catch (Exception e) {
            err.println("replay failed: " + e);
            return FAILED;
        }
    }

    /** What call.json's {@code replay_agent} says: the configuration file given, and the profile. */
    static String label(Options options, String profileName) {
        String profile = "profile " + profileName;
        return options.configFile() == null ? profile : "config " + options.configFile() + ", " + profile;
    }

    /**
     * Replays the calls against {@code profile}, up to {@code parallel} at once, each its own call on one of the
     * command's event loops, and prints the new ids in the order of {@code ids}, each once it and those before it are
     * written. A call's caller channel is read when its turn comes, so a batch holds at most {@code parallel} in
     * memory.
     */
    private static int replay(GatewayConfig config, AgentProfile profile, Originals originals, List<String> ids,
                              int parallel, String label, PrintStream out, PrintStream err) throws Exception {
        Logging.configure(config.log());
        EventLoopGroup group = NettyTransport.best().newGroup(
                Math.min(parallel, Runtime.getRuntime().availableProcessors()), "replay");
        DemoAgent demo = null;
        RecordingService recordings = null;
        try {
            GatewayConfig.Realtime rt = config.realtime();
            URI url = rt.url();
            if (rt.useDemoAgent()) {
                demo = DemoAgent.start(DemoScript.defaults());
                url = demo.url();
            }
            Files.createDirectories(config.recordings().dir());
            recordings = new RecordingService(config.recordings().dir(), new RecorderSettings(
                    config.recordings().bufferSeconds(), parallel + 1, config.recordings().deadAirMs()));
            CallContext ctx = new CallContext("127.0.0.1", ProfileRouter.always(profile), Gateway.realtimePolicy(rt),
                    recordings, new GatewayMetrics(EndReason.labels()), InstantSource.system(),
                    Gateway.consentPrompt(config.recordings().consentPrompt()), 0, CallObserver.NONE,
                    Gateway.redactor(config.recordings().redact()));
            RealtimeClient client = RealtimeClient.trusting(rt.caFile(), rt.idleTimeoutMs());
            URI target = url;
            Semaphore slots = new Semaphore(parallel);
            List<CompletableFuture<String>> replays = new ArrayList<>(ids.size());
            InOrder printer = new InOrder(replays, out, err);
            for (String id : ids) {
                slots.acquire();
                CompletableFuture<String> replay;
                try {
                    EventLoop loop = group.next();
                    RealtimeConnector connector = listener -> client.connect(target, rt.apiKey(), loop, listener)
                            .thenApply(connection -> connection);
                    replay = Replay.start(ctx, Scheduler.on(loop), connector, profile, originals.load(id), label);
                } catch (ReplaySource.Unusable e) {
                    replay = CompletableFuture.failedFuture(e);
                }
                replay.whenComplete((newId, failure) -> slots.release());
                replays.add(replay);
                printer.printDone();
            }
            return printer.printAll();
        } finally {
            Gateway.closeQuietly(recordings);
            Gateway.closeQuietly(demo);
            group.shutdownGracefully(0, STOP_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Prints the outcomes of a batch's replays in the batch's order: each new id, or why a replay failed. */
    private static final class InOrder {
        private final List<CompletableFuture<String>> replays;
        private final PrintStream out;
        private final PrintStream err;
        private int printed;
        private int status = OK;

        InOrder(List<CompletableFuture<String>> replays, PrintStream out, PrintStream err) {
            this.replays = replays;
            this.out = out;
            this.err = err;
        }

        /** Prints the replays done so far, up to the first still running. */
        void printDone() throws InterruptedException {
            while (printed < replays.size() && replays.get(printed).isDone()) {
                print(replays.get(printed++));
            }
        }

        /** Waits for every replay in turn and prints it; returns the exit status. */
        int printAll() throws InterruptedException {
            while (printed < replays.size()) {
                print(replays.get(printed++));
            }
            return status;
        }

        private void print(CompletableFuture<String> replay) throws InterruptedException {
            try {
                out.println(replay.get());
                out.flush();
            } catch (ExecutionException e) {
                err.println(e.getCause().getMessage());
                status = FAILED;
            }
        }
    }
}
