package gateway.bridge;

import gateway.bridge.call.Admission;
import gateway.bridge.call.CallContext;
import gateway.bridge.call.CallDispatcher;
import gateway.bridge.call.CallObserver;
import gateway.bridge.call.ConsentPrompt;
import gateway.bridge.call.EndReason;
import gateway.bridge.call.RealtimePolicy;
import gateway.bridge.events.CallEventSender;
import gateway.bridge.metrics.GatewayMetrics;
import gateway.config.ConfigException;
import gateway.config.ConfigKey;
import gateway.config.GatewayConfig;
import gateway.config.SourceFilter;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.library.AnalyticsBackfill;
import gateway.library.CallLibrary;
import gateway.library.LocalCallStore;
import gateway.library.TranscriptRedactor;
import gateway.qa.AccessPolicy;
import gateway.qa.ApiRole;
import gateway.qa.HttpServer;
import gateway.qa.Scorecard;
import gateway.realtime.RealtimeClient;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.rtp.RtpPortAllocator;
import gateway.rtp.RtpSettings;
import gateway.sip.AudioCodec;
import gateway.sip.RegistrationSettings;
import gateway.sip.SipSecurity;
import gateway.sip.SipServer;
import gateway.sip.SipServerSettings;
import gateway.sip.SipTls;
import gateway.sip.SrtpMode;
import gateway.storage.ObjectStorage;
import gateway.storage.Retention;
import gateway.storage.StorageSettings;
import gateway.time.Scheduler;
import gateway.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The running gateway: SIP endpoint, media loops, Realtime client (or the demo agent), recorder, the call
 * library and the HTTP listener (health, metrics, QA API).
 *
 * <p>Threads: one SIP event loop (all transactions and dialogs); one media event loop per core, each owning whole
 * calls (RTP channel, Realtime socket, call state); one recorder writer thread doing all recording I/O; one HTTP
 * event loop with its "http-io" threads for reading recordings; the "call-index" thread keeping the call list;
 * with object storage the "storage-upload" thread, with a retention period the "retention" thread; with
 * {@code events.webhook-url} the "call-events" thread writing and sending call events; the embedded agent, when
 * used, on its own loop.
 */
public final class Gateway implements AutoCloseable {

    /** The QA review form of {@code qa.scorecard}, as the API serves it. */
    private static Scorecard scorecard(GatewayConfig.Scorecard form) {
        return new Scorecard(form.title(), form.criteria().stream()
                .map(c -> new Scorecard.Criterion(c.id(), c.label(), Scorecard.Kind.parse(c.kind()).orElseThrow(),
                        c.weight(), c.commentRequired()))
                .toList());
    }

    /** What the measuring of the calls recorded before the analytics did, by outcome. */
    private static void registerBackfillMetrics(GatewayMetrics metrics, AnalyticsBackfill backfill) {
        String name = "gateway_analytics_backfill_calls";
        String help = "Calls recorded before the conversation analytics, by what their measuring came to";
        metrics.counter(name, help, "outcome", "measured", () -> backfill.counts().measured());
        metrics.counter(name, help, "outcome", "skipped", () -> backfill.counts().skipped());
        metrics.counter(name, help, "outcome", "failed", () -> backfill.counts().failed());
        metrics.counter(name, help, "outcome", "not_queued", () -> backfill.counts().overflowed());
    }

    /** How the calls recorded before the conversation analytics are measured. */
    static AnalyticsBackfill.Settings backfill(GatewayConfig.Recordings recordings) {
        return new AnalyticsBackfill.Settings(recordings.analyticsBackfillPerSecond(), recordings.deadAirMs());
    }

    /** The transcript redaction {@code recordings.redact.*} asks for. */
    static TranscriptRedactor redactor(GatewayConfig.Redact redact) {
        return new TranscriptRedactor(redact.cards(), redact.patterns().stream()
                .map(p -> new TranscriptRedactor.NamedPattern(p.name(), p.regex())).toList());
    }

    private static final Logger LOG = System.getLogger(Gateway.class.getName());
    private static final double NANOS_PER_SECOND = 1e9;
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** How often the readiness thread looks at the recordings directory. */
    private static final long READINESS_CHECK_SECONDS = 5;
    /** The window of {@code PlayoutLag}: long enough for every call's 50 ticks, short enough to lift at once. */
    private static final long LAG_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** HTTP is light (files go out zero-copy or from the http-io threads): one loop. */
    private static final int HTTP_LOOP_THREADS = 1;

    private final EventLoopGroup sipGroup;
    private final EventLoopGroup mediaGroup;
    private final EventLoopGroup httpGroup;
    private final DemoAgent agent;
    private final RecordingService recordings;
    private final CallLibrary library;
    private final ObjectStorage storage;
    private final Retention retention;
    private final SipServer sip;
    private final HttpServer http;
    private final CallDispatcher dispatcher;
    private final RoutingProfiles profiles;
    private final CallEventSender events;
    private final RecordingsDisk disk;
    private final ScheduledExecutorService readinessChecks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ready;
    private volatile boolean draining;

    private Gateway(EventLoopGroup sipGroup, EventLoopGroup mediaGroup, EventLoopGroup httpGroup, DemoAgent agent,
                    RecordingService recordings, CallLibrary library, ObjectStorage storage, Retention retention,
                    SipServer sip, HttpServer http, CallDispatcher dispatcher, RoutingProfiles profiles,
                    RecordingsDisk disk, CallEventSender events) {
        this.sipGroup = sipGroup;
        this.mediaGroup = mediaGroup;
        this.httpGroup = httpGroup;
        this.agent = agent;
        this.recordings = recordings;
        this.library = library;
        this.storage = storage;
        this.retention = retention;
        this.sip = sip;
        this.http = http;
        this.dispatcher = dispatcher;
        this.profiles = profiles;
        this.events = events;
        this.disk = disk;
        this.readinessChecks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "readiness");
            thread.setDaemon(true);
            return thread;
        });
        // Off the event loops: a file system call may hang on a sick disk.
        readinessChecks.scheduleWithFixedDelay(disk::check, 0, READINESS_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Why the gateway takes no calls now, empty when it does: the readiness probe's answer. Cheap, any thread (the
     * disk is looked at every {@value #READINESS_CHECK_SECONDS} s by a thread of its own).
     */
    public String notReady() {
        if (!ready) {
            return "starting or stopping";
        }
        if (draining) {
            return "draining: " + dispatcher.activeCalls() + " call(s) in progress, new ones get 503";
        }
        String diskProblem = disk.problem();
        if (!diskProblem.isEmpty()) {
            return diskProblem;
        }
        if (dispatcher.realtimeHealth().failing()) {
            return "the Realtime service has refused every recent connection";
        }
        return "";
    }

    /**
     * The first step of a graceful stop: new INVITEs get 503 with Retry-After and the readiness probe says draining,
     * while the calls in progress run on; completes when the last of them has ended on its own (then {@link #close}).
     */
    public CompletableFuture<Void> drain() {
        if (!draining) {
            draining = true;
            LOG.log(Level.INFO, "Draining: {0} call(s) in progress run on; new calls get 503",
                    dispatcher.activeCalls());
        }
        return dispatcher.drain();
    }

    /**
     * The end of a drain that did not empty on its own: the agent of each call in progress says {@code goodbye}, then
     * BYE ({@code shutdown}), each within {@code maxMs}; completes when their recordings are written (then {@link
     * #close}, which ends at once what is left).
     */
    public CompletableFuture<Void> sayGoodbye(String goodbye, long maxMs) {
        LOG.log(Level.INFO, "Saying goodbye on {0} call(s) in progress, for at most {1} ms each",
                dispatcher.activeCalls(), maxMs);
        return dispatcher.sayGoodbye(goodbye, maxMs);
    }

    /** Starts everything and returns when the gateway is ready to take calls. */
    public static Gateway start(GatewayConfig config) throws Exception {
        long t0 = System.nanoTime();
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup sipGroup = transport.newGroup(1, "sip");
        AtomicInteger realtimeLoops = new AtomicInteger();
        EventLoopGroup mediaGroup = transport.newGroup(Runtime.getRuntime().availableProcessors(), "media",
                config.rtp().realtimePriority(), outcome -> {
                    if (outcome.granted()) {
                        realtimeLoops.incrementAndGet();
                    }
                });
        if (config.rtp().realtimePriority() > 0) {
            mediaGroup.forEach(loop -> loop.submit(() -> { }).syncUninterruptibly()); // start them: each asks now
        }
        EventLoopGroup httpGroup = transport.newGroup(HTTP_LOOP_THREADS, "http");
        DemoAgent demoAgent = null;
        RecordingService recordings = null;
        CallLibrary library = null;
        ObjectStorage storage = null;
        Retention retention = null;
        SipServer sip = null;
        HttpServer http = null;
        RoutingProfiles profiles = null;
        CallEventSender events = null;
        try {
            URI realtimeUrl = config.realtime().url();
            if (config.realtime().useDemoAgent()) {
                demoAgent = DemoAgent.start(DemoScript.defaults());
                realtimeUrl = demoAgent.url();
                LOG.log(Level.INFO, "No API key and no realtime.url: using the demo agent at {0}"
                        + " (it echoes what you say). Set OPENAI_API_KEY to talk to the Realtime API.", realtimeUrl);
            }
            Files.createDirectories(config.recordings().dir());
            RecorderSettings settings = recorderSettings(config);
            recordings = new RecordingService(config.recordings().dir(), settings);
            List<String> recovered = recordings.recover();
            if (!recovered.isEmpty()) {
                LOG.log(Level.WARNING, "Recovered {0} call(s) a crash of the gateway left unfinished; their call.json"
                        + " says end_reason gateway_crash: {1}", recovered.size(), recovered);
            }
            // Opened after the recorder, so calls it recovers at start are already final when the index reads them
            // and the uploader finds them pending.
            AtomicReference<CallLibrary> indexed = new AtomicReference<>();
            if (config.storage().enabled()) {
                storage = ObjectStorage.start(storageSettings(config.storage()), config.recordings().dir(),
                        config.recordings().keepLocal(), id -> refresh(indexed.get(), id));
                library = CallLibrary.open(storage.store(), backfill(config.recordings()));
                storage.keepIndexCurrent(library, Duration.ofSeconds(config.storage().indexRefreshSeconds()));
            } else {
                library = CallLibrary.open(new LocalCallStore(config.recordings().dir()),
                        backfill(config.recordings()));
            }
            indexed.set(library);
            // A call another process finished here (a replay) is listed, and uploaded as the gateway's own are.
            ObjectStorage uploads = storage;
            library.watch(new LocalCallStore(config.recordings().dir()),
                    uploads == null ? id -> { } : uploads::callFinished);
            if (config.recordings().retains()) {
                retention = Retention.start(library, config.recordings().retentionDays(),
                        Duration.ofMillis(config.recordings().retentionSweepMs()));
            }
            GatewayMetrics metrics = new GatewayMetrics(EndReason.labels());
            registerRecorderMetrics(metrics, recordings);
            registerStorageMetrics(metrics, storage, retention);
            metrics.gauge("gateway_calls_indexed", "Finished calls in the QA API's call index", library::size);
            metrics.gauge("gateway_media_loops_realtime", "Media event loops running under SCHED_FIFO"
                    + " (rtp.realtime-priority; 0 when refused or off)", realtimeLoops::get);
            registerBackfillMetrics(metrics, library.backfill());
            GatewayConfig.Realtime rt = config.realtime();
            profiles = RoutingProfiles.of(config, InstantSource.system());
            metrics.registerTools(profiles.toolNames());
            LOG.log(Level.INFO, "Agent: {0}; tools {1}", config.agent(), profiles.all().iterator().next().toolNames());
            config.routing().profiles().forEach((name, agent) -> LOG.log(Level.INFO, "Profile {0}: {1}", name, agent));
            LOG.log(Level.INFO, "Routes: {0}; unknown numbers {1}", config.routing().routes(),
                    config.routing().rejectUnknown() ? "get 404" : "get the default profile");
            config.routing().profiles().keySet().stream()
                    .filter(name -> config.routing().routes().stream().noneMatch(r -> r.profile().equals(name)))
                    .forEach(name -> LOG.log(Level.WARNING, "Profile {0} is named by no route: no call gets it", name));
            AtomicInteger httpPort = new AtomicInteger(config.http().port());
            if (config.events().enabled()) {
                events = CallEventSender.start(config.events(), InstantSource.system(),
                        id -> recordingUrl(config, httpPort.get(), id));
                registerEventMetrics(metrics, events);
            }
            CallContext ctx = new CallContext(
                    config.rtp().publicAddress(),
                    profiles,
                    realtimePolicy(rt),
                    recordings,
                    metrics,
                    InstantSource.system(),
                    consentPrompt(config.recordings().consentPrompt()), config.sip().answerDelayMs(),
                    events == null ? CallObserver.NONE : events, redactor(config.recordings().redact()));
            RecordingService rec = recordings;
            RecordingsDisk disk = new RecordingsDisk(config.recordings().dir(), config.recordings().minFreeBytes());
            disk.check();
            RealtimeClient realtimeClient = RealtimeClient.trusting(rt.caFile(), rt.idleTimeoutMs(),
                    rt.inputBatchMs());
            metrics.counter("gateway_realtime_malformed_events", "Realtime server frames that were not a JSON event:"
                    + " logged and skipped, the session goes on", realtimeClient::malformedEvents);
            CallDispatcher dispatcher = new CallDispatcher(ctx, mediaGroup,
                    InetAddress.getByName(config.sip().listen()),
                    new RtpPortAllocator(config.rtp().portMin(), config.rtp().portMax()),
                    new RtpSettings(TimeUnit.SECONDS.toNanos(config.rtp().timeoutSeconds()), InstantSource.system(),
                            config.rtp().strictSource()),
                    new CallDispatcher.RealtimeTarget(realtimeClient, realtimeUrl,
                            rt.apiKey()),
                    new Admission(settings.maxCalls(), rec::backlogNanos, metrics.playoutLag()::behind,
                            disk::full),
                    finishedCalls(library, storage));
            // Admission's view of the media loops: one window a second, closed on a media loop (it only sums).
            Scheduler.on(mediaGroup.next()).scheduleAtFixedRate(metrics.playoutLag()::roll, LAG_WINDOW_NANOS,
                    LAG_WINDOW_NANOS);
            metrics.gauge("gateway_calls_in_progress", "Calls the dispatcher tracks", dispatcher::activeCalls);
            sip = SipServer.start(new SipServerSettings(config.sip().listen(), config.sip().port(),
                    config.sip().publicHost(), "gateway/0.1", sipSecurity(config),
                    config.rtp().codecs().stream().map(AudioCodec::valueOf).toList(),
                    SipAccessSetup.connectionLimits(config)), SipAccessSetup.settings(config),
                    sipGroup, dispatcher).get(10, TimeUnit.SECONDS);
            List<RegistrationSettings> registrations = SipAccessSetup.registrations(config);
            sip.register(registrations);
            SipAccessSetup.registerMetrics(metrics, sip, registrations);
            Gateway[] self = new Gateway[1];
            AccessPolicy access = accessPolicy(config);
            http = HttpServer.start(config.http().listen(), config.http().port(), httpGroup,
                    access, new HttpServer.Endpoints(
                            () -> self[0] == null ? "starting" : self[0].notReady(), metrics::scrape, library,
                            (id, paused) -> dispatcher.find(id).map(call -> call.pauseRecording(paused, "api")),
                            new LiveControl(dispatcher)),
                    new HttpServer.Records(config.recordings().dir(), config.http().shareKey(),
                            InstantSource.system(), scorecard(config.http().scorecard()),
                            config.http().auditRetentionDays()));
            httpPort.set(http.port());
            Gateway gateway = new Gateway(sipGroup, mediaGroup, httpGroup, demoAgent, recordings, library, storage,
                    retention, sip, http, dispatcher, profiles, disk, events);
            self[0] = gateway;
            gateway.ready = true;
            LOG.log(Level.INFO, SipAccessSetup.describe(config));
            LOG.log(Level.INFO, "QA API: {0}", access.describe());
            if (!access.tokenRequired() && !InetAddress.getByName(config.http().listen()).isLoopbackAddress()) {
                LOG.log(Level.WARNING, "http.listen is {0} but no http.api-token is set: clients of other machines"
                        + " get 403 from /api and /metrics (only /health answers them)", config.http().listen());
            }
            LOG.log(Level.INFO, "Ready in {0} ms: SIP {1}:{2} (UDP+TCP, public host {3}), RTP {4}-{5}, "
                            + "recordings in {6}{10}, health, metrics, /api/calls and the QA page on http://{7}:{8}, "
                            + "transport {9}",
                    (System.nanoTime() - t0) / 1_000_000, config.sip().listen(), String.valueOf(sip.udpPort()),
                    config.sip().publicHost(), String.valueOf(config.rtp().portMin()),
                    String.valueOf(config.rtp().portMax()), config.recordings().dir().toAbsolutePath(),
                    config.http().listen(), String.valueOf(http.port()), transport.name(),
                    storage == null ? "" : " and s3 bucket " + config.storage().bucket());
            return gateway;
        } catch (Exception | Error e) {
            closeQuietly(http);
            closeQuietly(sip);
            closeQuietly(recordings);
            closeQuietly(retention);
            closeQuietly(storage);
            closeQuietly(library);
            closeQuietly(demoAgent);
            closeQuietly(profiles);
            closeQuietly(events);
            mediaGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            sipGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            httpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Who may use the QA API: the configured tokens and their roles. */
    static AccessPolicy accessPolicy(GatewayConfig config) {
        return AccessPolicy.of(config.http().tokens().stream()
                .map(t -> new AccessPolicy.Grant(t.name(), HexFormat.of().parseHex(t.sha256Hex()),
                        ApiRole.parse(t.role()).orElseThrow()))
                .toList());
    }

    /** SRTP, TLS and the PROXY protocol as configured; TLS files Netty cannot load stop start-up naming the key. */
    private static SipSecurity sipSecurity(GatewayConfig config) throws ConfigException {
        GatewayConfig.Tls tls = config.sip().tls();
        SipTls sipTls = null;
        if (tls != null) {
            try {
                sipTls = SipTls.fromPem(tls.port(), tls.certificate(), tls.key(), tls.clientCa());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigKey.SIP_TLS_CERT.key(), e.getMessage());
            }
        }
        SourceFilter proxies = config.sip().proxyTrusted();
        return new SipSecurity(SrtpMode.parse(config.rtp().srtp()), config.rtp().srtpOverPlainSip(), sipTls,
                proxies == null ? null : proxies::allows);
    }

    /** How each call keeps its Realtime session up, from {@code realtime.*}. */
    static RealtimePolicy realtimePolicy(GatewayConfig.Realtime rt) {
        return new RealtimePolicy(rt.connectTimeoutMs(), rt.rolloverMarginMs(), rt.reconnectAttempts(),
                rt.reconnectBackoffMs(), rt.contextMaxChars(), rt.resendMs());
    }

    /** Loads the consent announcement; a file that is not one stops start-up with a message naming the key. */
    static ConsentPrompt consentPrompt(Path file) throws ConfigException {
        if (file == null) {
            return null;
        }
        try {
            ConsentPrompt prompt = ConsentPrompt.load(file);
            LOG.log(Level.INFO, "Consent announcement: {0} ({1} ms) before the agent speaks", file,
                    String.valueOf(prompt.durationMs()));
            return prompt;
        } catch (IOException e) {
            throw new ConfigException(ConfigKey.RECORDINGS_CONSENT_PROMPT.key(), e.getMessage());
        }
    }

    /**
     * The recorder's buffers for {@code sip.max-calls} calls of {@code recordings.buffer-seconds}, with the call
     * limit lowered if they would not fit in the recorder's share of the heap (an out-of-memory would end every call).
     */
    private static RecorderSettings recorderSettings(GatewayConfig config) {
        RecorderSettings wanted = new RecorderSettings(config.recordings().bufferSeconds(), config.sip().maxCalls(),
                config.recordings().deadAirMs());
        long maxHeap = Runtime.getRuntime().maxMemory();
        RecorderSettings settings = wanted.fittedToHeap(maxHeap);
        if (settings.maxCalls() < wanted.maxCalls()) {
            LOG.log(Level.WARNING, "sip.max-calls lowered from {0} to {1}: the recorder''s buffers for {2} s of writer"
                            + " stall ({3} KB per call) fit half of the {4} MB heap for no more; raise -Xmx or lower"
                            + " recordings.buffer-seconds", wanted.maxCalls(), settings.maxCalls(),
                    settings.bufferSeconds(), settings.bytesPerCall() / 1024, maxHeap / (1024 * 1024));
        }
        LOG.log(Level.INFO, "Recorder: each call survives {0} s of writer stall without losing audio; at most {1} calls"
                        + " ({2} MB of buffers at most, taken only while audio waits)", settings.bufferSeconds(),
                settings.maxCalls(), settings.budgetBytes() / (1024 * 1024));
        return settings;
    }

    private static void registerRecorderMetrics(GatewayMetrics metrics, RecordingService rec) {
        metrics.gauge("gateway_recorder_dropped_chunks",
                "Writes (20 ms packets) of which the recorder lost samples: a call's buffer was full",
                rec::droppedWrites);
        metrics.counter("gateway_recorder_lost_samples",
                "Samples (either channel) the recorder lost because a call's buffer was full", rec::lostSamples);
        metrics.gauge("gateway_recorder_backlog_seconds", "How far behind the recorder's writer is now",
                () -> rec.backlogNanos() / NANOS_PER_SECOND);
        metrics.gauge("gateway_recorder_backlog_peak_seconds", "The most the recorder's writer has been behind",
                () -> rec.peakBacklogNanos() / NANOS_PER_SECOND);
        metrics.gauge("gateway_recorder_buffer_bytes", "Heap holding audio the writer has not written yet",
                rec::bufferedBytes);
        metrics.gauge("gateway_recorder_buffer_peak_bytes", "The most heap the recorder's buffers have held",
                rec::peakBufferedBytes);
        metrics.gauge("gateway_recorder_buffer_limit_bytes", "The recorder's buffer limit (sip.max-calls calls of"
                + " recordings.buffer-seconds)", rec::bufferLimitBytes);
        metrics.counter("gateway_recorder_write_failures",
                "Calls whose recording files had an I/O error (disk full, directory gone), once per call",
                rec::writeFailures);
        metrics.counter("gateway_recordings_incomplete", "Recordings whose call.json says recording.complete false",
                rec::incompleteRecordings);
        metrics.counter("gateway_recordings_recovered", "Calls a crash left unfinished, recovered at start",
                rec::recoveredRecordings);
    }

    private static void registerEventMetrics(GatewayMetrics metrics, CallEventSender events) {
        metrics.counter("gateway_call_events_queued", "Call events written to the on-disk queue", events::queued);
        metrics.counter("gateway_call_events_delivered", "Call events the receiver accepted (2xx)",
                events::delivered);
        metrics.counter("gateway_call_events_retried", "Failed call event deliveries that are tried again",
                events::retried);
        metrics.counter("gateway_call_events_dropped", "Call events given up on: refused by the receiver (4xx), over"
                + " events.max-queued, or not writable", events::dropped);
        metrics.gauge("gateway_call_events_waiting", "Call events on disk waiting for delivery", events::waiting);
    }

    /**
     * The QA API's URL of a call, as call events give it: on {@code http.listen} (on the SIP public host when that is
     * a wildcard address) and the HTTP port.
     */
    static String recordingUrl(GatewayConfig config, int port, String id) {
        String host = config.http().listen();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = config.sip().publicHost();
        }
        try {
            return new URI("http", null, host, port, "/api/calls/" + id, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URL for call " + id + " on " + host, e);
        }
    }

    public int sipPort() {
        return sip.udpPort();
    }

    public int httpPort() {
        return http.port();
    }

    /** The SIP over TLS port, or -1 without TLS. */
    public int tlsPort() {
        return sip.tlsPort();
    }

    /** Each finished call goes to the index and, with object storage, to the upload spool; neither blocks. */
    private static Consumer<String> finishedCalls(CallLibrary library, ObjectStorage storage) {
        if (storage == null) {
            return library::callFinished;
        }
        return id -> {
            library.callFinished(id);
            storage.callFinished(id);
        };
    }

    /** An upload rewrote call.json (it now holds the checksums): the index reads it again. */
    private static void refresh(CallLibrary library, String id) {
        if (library != null) {
            library.callFinished(id);
        }
    }

    private static void registerStorageMetrics(GatewayMetrics metrics, ObjectStorage storage, Retention retention) {
        if (storage != null) {
            metrics.gauge("gateway_storage_pending_uploads", "Finished calls waiting for upload to object storage",
                    () -> storage.stats().pending());
            metrics.counter("gateway_storage_upload_failures", "Failed upload attempts since start",
                    () -> storage.stats().failures());
            metrics.counter("gateway_storage_uploaded_calls", "Calls uploaded since start",
                    () -> storage.stats().uploadedCalls());
            metrics.counter("gateway_storage_uploaded_bytes", "Bytes uploaded since start",
                    () -> storage.stats().uploadedBytes());
        }
        if (retention != null) {
            metrics.counter("gateway_retention_deleted_calls", "Calls deleted by retention since start",
                    retention::deleted);
        }
    }

    /** The finished calls the QA API serves. */
    public CallLibrary library() {
        return library;
    }

    /** Hangs up active calls, writes their recordings, and stops. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready = false;
        readinessChecks.shutdownNow();
        try {
            dispatcher.shutdown().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Calls did not finish within {0} s: {1}", SHUTDOWN_WAIT_SECONDS, e.toString());
        }
        closeQuietly(http);
        closeQuietly(sip);
        closeQuietly(recordings);
        closeQuietly(retention);
        closeQuietly(storage);
        closeQuietly(library);
        closeQuietly(agent);
        closeQuietly(profiles);
        closeQuietly(events);
        mediaGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        sipGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.log(Level.INFO, "Stopped");
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "close failed: {0}", e.toString());
        }
    }

    static StorageSettings storageSettings(GatewayConfig.Storage s) {
        return new StorageSettings(s.bucket(), s.endpoint(), s.region(), s.prefix(), s.pathStyle(), s.accessKey(),
                s.secretKey(), s.sse() == GatewayConfig.Sse.NONE ? "" : s.sse().header(), s.kmsKeyId(),
                s.retryMinMs(), s.retryMaxMs());
    }
}
