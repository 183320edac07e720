package gateway.bridge;

import gateway.demoagent.DemoScript;
import gateway.demoagent.DemoAgent;
import gateway.bridge.call.Admission;
import gateway.bridge.call.CallContext;
import gateway.bridge.call.CallDispatcher;
import gateway.bridge.call.RealtimePolicy;
import gateway.bridge.http.AdminHttpServer;
import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.realtime.RealtimeClient;
import gateway.bridge.realtime.SessionSettings;
import gateway.config.GatewayConfig;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.rtp.RtpPortAllocator;
import gateway.sip.SipServer;
import gateway.sip.SipServerSettings;
import io.netty.channel.EventLoopGroup;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running gateway: SIP endpoint, media loops, Realtime client (or the embedded demo agent), recorder and the
 * health/metrics endpoint.
 *
 * <p>Threads: one SIP event loop (all transactions and dialogs, plus the HTTP endpoint); one media event loop per
 * core, each owning whole calls (RTP channel, Realtime socket, call state); one recorder writer thread doing all
 * disk I/O; the embedded agent, when used, on its own loop.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Gateway.class.getName());
    private static final double NANOS_PER_SECOND = 1e9;
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private final EventLoopGroup sipGroup;
    private final EventLoopGroup mediaGroup;
    private final DemoAgent agent;
    private final RecordingService recordings;
    private final SipServer sip;
    private final AdminHttpServer http;
    private final CallDispatcher dispatcher;
    private volatile boolean ready;

    private Gateway(EventLoopGroup sipGroup, EventLoopGroup mediaGroup, DemoAgent agent,
                    RecordingService recordings, SipServer sip, AdminHttpServer http, CallDispatcher dispatcher) {
        this.sipGroup = sipGroup;
        this.mediaGroup = mediaGroup;
        this.agent = agent;
        this.recordings = recordings;
        this.sip = sip;
        this.http = http;
        this.dispatcher = dispatcher;
    }

    /** Starts everything and returns when the gateway is ready to take calls. */
    public static Gateway start(GatewayConfig config) throws Exception {
        long t0 = System.nanoTime();
        Transport transport = Transport.best();
        EventLoopGroup sipGroup = transport.newGroup(1, "sip");
        EventLoopGroup mediaGroup = transport.newGroup(Runtime.getRuntime().availableProcessors(), "media");
        DemoAgent agent = null;
        RecordingService recordings = null;
        SipServer sip = null;
        AdminHttpServer http = null;
        try {
            URI realtimeUrl = config.realtime().url();
            if (config.realtime().useDemoAgent()) {
                agent = DemoAgent.start(DemoScript.defaults());
                realtimeUrl = agent.url();
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
            GatewayMetrics metrics = new GatewayMetrics();
            registerRecorderMetrics(metrics, recordings);
            GatewayConfig.Realtime rt = config.realtime();
            CallContext ctx = new CallContext(
                    config.sip().publicHost(),
                    new SessionSettings(config.agent().instructions(), config.agent().voice(),
                            config.agent().transcriptionModel()),
                    new RealtimePolicy(rt.connectTimeoutMs(), rt.rolloverMarginMs(), rt.reconnectAttempts(),
                            rt.reconnectBackoffMs(), rt.contextMaxChars()),
                    recordings,
                    metrics,
                    InstantSource.system());
            RecordingService rec = recordings;
            CallDispatcher dispatcher = new CallDispatcher(ctx, mediaGroup, config.sip().allowedSources(),
                    InetAddress.getByName(config.sip().listen()),
                    new RtpPortAllocator(config.rtp().portMin(), config.rtp().portMax()),
                    new CallDispatcher.RealtimeTarget(new RealtimeClient(), realtimeUrl, rt.apiKey()),
                    new Admission(settings.maxCalls(), rec::backlogNanos));
            metrics.gauge("gateway_calls_in_progress", "Calls the dispatcher tracks", dispatcher::activeCalls);
            sip = SipServer.start(new SipServerSettings(config.sip().listen(), config.sip().port(),
                    config.sip().publicHost(), "gateway/0.1"), sipGroup, dispatcher).get(10, TimeUnit.SECONDS);
            Gateway[] self = new Gateway[1];
            http = AdminHttpServer.start(config.http().listen(), config.http().port(), sipGroup,
                    transport.serverChannel(), () -> self[0] != null && self[0].ready, metrics::scrape);
            Gateway gateway = new Gateway(sipGroup, mediaGroup, agent, recordings, sip, http, dispatcher);
            self[0] = gateway;
            gateway.ready = true;
            LOG.log(Level.INFO, "Calls accepted from: {0}", config.sip().allowedSources());
            LOG.log(Level.INFO, "Ready in {0} ms: SIP {1}:{2} (UDP+TCP, public host {3}), RTP {4}-{5}, "
                            + "recordings in {6}, health and metrics on http://{7}:{8}, transport {9}",
                    (System.nanoTime() - t0) / 1_000_000, config.sip().listen(), String.valueOf(sip.udpPort()),
                    config.sip().publicHost(), String.valueOf(config.rtp().portMin()),
                    String.valueOf(config.rtp().portMax()), config.recordings().dir().toAbsolutePath(),
                    config.http().listen(), String.valueOf(http.port()), transport.name());
            return gateway;
        } catch (Exception | Error e) {
            closeQuietly(http);
            closeQuietly(sip);
            closeQuietly(recordings);
            closeQuietly(agent);
            mediaGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            sipGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The recorder's buffers for {@code sip.max-calls} calls of {@code recordings.buffer-seconds}, with the call
     * limit lowered if they would not fit in the recorder's share of the heap (an out-of-memory would end every call).
     */
    private static RecorderSettings recorderSettings(GatewayConfig config) {
        RecorderSettings wanted = new RecorderSettings(config.recordings().bufferSeconds(), config.sip().maxCalls());
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
                "Writes (20 ms packets) of which the recorder lost samples: a call's buffer was full", rec::droppedWrites);
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

    public int sipPort() {
        return sip.udpPort();
    }

    public int httpPort() {
        return http.port();
    }

    /** Hangs up active calls, writes their recordings, and stops. */
    @Override
    public void close() {
        ready = false;
        try {
            dispatcher.shutdown().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Calls did not finish within {0} s: {1}", SHUTDOWN_WAIT_SECONDS, e.toString());
        }
        closeQuietly(http);
        closeQuietly(sip);
        closeQuietly(recordings);
        closeQuietly(agent);
        mediaGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        sipGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.log(Level.INFO, "Stopped");
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "close failed: {0}", e.toString());
        }
    }
}
