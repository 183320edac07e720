package gateway.qa;

import gateway.library.CallLibrary;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallQuality;
import gateway.library.CallStore;
import gateway.library.HoldPeriod;
import gateway.library.LocalCallStore;
import gateway.library.Role;
import gateway.library.SessionPeriod;
import gateway.library.ToolCall;
import gateway.library.Turn;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Signals;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link HttpServer} on 127.0.0.1 (any free port) over a recordings directory written by the real recorder, with a
 * directory beside it holding a file the API must never serve. Requests go over real sockets: the JDK HttpClient,
 * or a raw socket for request lines no well-behaved client sends.
 */
final class ApiFixture implements AutoCloseable {

    static final String FIRST = "20261130T180102Z-aaaa0001";
    static final String SECOND = "20261130T190000Z-bbbb0002";
    static final String RUNNING = "20261130T200000Z-cccc0003";
    static final Instant FIRST_START = Instant.parse("2026-11-30T18:01:02.345Z");
    static final Instant SECOND_START = Instant.parse("2026-11-30T19:00:00.000Z");
    static final int RATE = 24_000;
    static final int FIRST_FRAMES = RATE;
    /** The first call's media: two packets concealed half a second in, RTCP both ways. */
    static final CallQuality FIRST_QUALITY = new CallQuality(50, 51, 52, 2, 0, 1, 40, 2.1, 4.5, 38.0, 52.0, 0.4, 0,
            new CallQuality.RemoteReport(3, 0.0, 0, 1.2), 88.4, 4.27,
            List.of(new CallQuality.LossStretch(500, 540, 2)));
    static final int SECOND_FRAMES = RATE / 2;
    static final String SECRET = "SECRET-OUTSIDE-THE-RECORDINGS";
    static final String METRICS = "# HELP test_metric a metric\ntest_metric 1\n";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Fed to the recorder 20 ms at a time, as a call feeds it. */
    private static final int TICK = 480;

    final Path recordings;
    final Path outside;
    final CallLibrary library;
    final HttpServer server;
    private final EventLoopGroup group;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .build();
    private final String token;

    private ApiFixture(Path recordings, Path outside, CallLibrary library, HttpServer server, EventLoopGroup group,
                       String token) {
        this.recordings = recordings;
        this.outside = outside;
        this.library = library;
        this.server = server;
        this.group = group;
        this.token = token;
    }

    /** Writes the recordings under {@code base}, builds the index and starts serving; {@code token} may be empty. */
    static ApiFixture start(Path base, String token) throws Exception {
        return start(base, AccessPolicy.of(token), token);
    }

    /** As {@link #start(Path, String)} with {@code policy}; {@code token} is the one the fixture's requests carry. */
    static ApiFixture start(Path base, AccessPolicy policy, String token) throws Exception {
        return start(base, policy, token, Scorecard.NONE);
    }

    /** As {@link #start(Path, AccessPolicy, String)} with {@code scorecard} as the review form. */
    static ApiFixture start(Path base, AccessPolicy policy, String token, Scorecard scorecard) throws Exception {
        Path recordings = Files.createDirectories(base.resolve("recordings"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("call.json"), "{\"id\":\"outside\",\"note\":\"" + SECRET + "\"}");
        Files.writeString(base.resolve("secret.txt"), SECRET);
        writeCalls(recordings);
        Files.createSymbolicLink(recordings.resolve("linked"), outside);
        CallLibrary library = CallLibrary.open(new LocalCallStore(recordings));
        library.built().get(10, TimeUnit.SECONDS);
        return serve(recordings, outside, library, policy, token, scorecard);
    }

    /** Serves {@code library} (of the calls under {@code recordings}) without waiting for its index. */
    static ApiFixture serving(Path recordings, CallLibrary library) throws Exception {
        return serve(recordings, recordings, library, AccessPolicy.of(""), "", Scorecard.NONE);
    }

    /** What writes calls into a recordings directory through the real recorder. */
    @FunctionalInterface
    interface Recorder {
        void record(RecordingService service) throws Exception;
    }

    /**
     * Serves {@code base}/recordings once {@code recorder} has written its calls (with buffers for a whole call: the
     * calls are fed faster than real time) and the index holds them.
     */
    static ApiFixture servingRecorded(Path base, Recorder recorder) throws Exception {
        Path recordings = Files.createDirectories(base.resolve("recordings"));
        try (RecordingService service = new RecordingService(recordings, new RecorderSettings(20, 4))) {
            recorder.record(service);
        }
        ApiFixture api = serving(recordings, new LocalCallStore(recordings));
        api.library.built().get(10, TimeUnit.SECONDS);
        return api;
    }

    /** Serves {@code store} without waiting for its index. */
    static ApiFixture serving(Path base, CallStore store) throws Exception {
        return serve(base, base, CallLibrary.open(store), AccessPolicy.of(""), "", Scorecard.NONE);
    }

    private static ApiFixture serve(Path recordings, Path outside, CallLibrary library, AccessPolicy policy,
                                    String token, Scorecard scorecard) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicReference<LiveCalls> live = new AtomicReference<>(LiveCalls.NONE);
        AtomicReference<ActiveCalls> active = new AtomicReference<>(ActiveCalls.NONE);
        try {
            AtomicReference<Instant> now = new AtomicReference<>();
            InstantSource clock = () -> now.get() == null ? Instant.now() : now.get();
            HttpServer server = HttpServer.start("127.0.0.1", 0, group,
                    policy, new HttpServer.Endpoints(() -> "", () -> METRICS, library,
                            (id, paused) -> live.get().pauseRecording(id, paused), new ActiveCalls() {
                                @Override
                                public CompletableFuture<List<ActiveCall>> list() {
                                    return active.get().list();
                                }

                                @Override
                                public Optional<CompletableFuture<Void>> act(String id, LiveAction action,
                                                                             String by) {
                                    return active.get().act(id, action, by);
                                }

                                @Override
                                public Optional<CompletableFuture<ListenFeed>> listen(String id) {
                                    return active.get().listen(id);
                                }
                            }), new HttpServer.Records(recordings, "", clock, scorecard, 0));
            ApiFixture fixture = new ApiFixture(recordings, outside, library, server, group, token);
            fixture.live = live;
            fixture.now = now;
            fixture.active = active;
            return fixture;
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            library.close();
            throw e;
        }
    }

    static void writeCalls(Path recordings) throws Exception {
        try (RecordingService service = new RecordingService(recordings, new RecorderSettings(5, 4))) {
            record(service, new CallMetadata(FIRST, "sip-call-1@198.51.100.7", "sip:+15550001111@198.51.100.7",
                    "sip:agent@gw.example.com", FIRST_START, "PCMU"), FIRST_FRAMES,
                    new CallSummary(FIRST_START.plusMillis(1020), FIRST_FRAMES, "caller_bye", new CallLog(List.of(
                            new Turn(Role.CALLER, 100, 900, "Hello, I need a refund.", "item_1", false),
                            new Turn(Role.ASSISTANT, 1000, 1900, "Sure, let me check.", "item_2", true)),
                            List.of(new HoldPeriod(200, 300)),
                            List.of(new SessionPeriod(0, "sess_1", 0, 1000, "caller_bye")), List.of(), null,
                            FIRST_QUALITY, List.of(), List.of(new ToolCall("lookup_order", "call_1", null, 700, 840,
                                    140, "{\"order\":\"A-42\"}", "{\"status\":\"refunded\"}", null)), null)));
            record(service, new CallMetadata(SECOND, "sip-call-2@198.51.100.7", "sip:+15550002222@198.51.100.8",
                    "sip:Sales@GW.example.com", SECOND_START, "PCMA"), SECOND_FRAMES,
                    new CallSummary(SECOND_START.plusMillis(510), SECOND_FRAMES, "realtime_lost",
                            List.of(new Turn(Role.CALLER, 50, 400, "Where is my order?", "item_3", false))));
        }
        Path running = Files.createDirectories(recordings.resolve(RUNNING));
        Files.writeString(running.resolve("call.json.partial"), "{}");
        Files.write(running.resolve("audio.wav"), new byte[44]);
    }

    static void record(RecordingService service, CallMetadata meta, int frames, CallSummary summary)
            throws Exception {
        CallRecording rec = service.start(meta);
        Signals.writePattern(0, frames, TICK, (at, caller, assistant, length) -> {
            rec.caller(at, caller, 0, length);
            rec.assistant(at, assistant, 0, length);
        });
        rec.finish(summary).get(10, TimeUnit.SECONDS);
    }

    /** The calls in progress the API sees (none unless a test sets them). */
    AtomicReference<LiveCalls> live;
    /** The audit's and share links' clock: the system's until a test sets an instant. */
    AtomicReference<Instant> now;
    /** The calls the active calls API sees (none unless a test sets them). */
    AtomicReference<ActiveCalls> active;

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** {@code method path} with header name/value pairs; the token is added when the fixture has one. */
    HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        return sendAs(token, method, path, headers);
    }

    /** {@code method path} with {@code bearer} (none when empty) and header name/value pairs. */
    HttpResponse<byte[]> sendAs(String bearer, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!bearer.isEmpty()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code POST path} with a JSON body; the token is added when the fixture has one. */
    HttpResponse<byte[]> postJson(String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code method path} with a JSON body and {@code bearer} (none when empty). */
    HttpResponse<byte[]> jsonAs(String bearer, String method, String path, String json, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (!bearer.isEmpty()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    /** Writes {@code request} as it is on a new connection and returns everything read until the server closes. */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A GET of {@code target} exactly as given, closing the connection after the response. */
    String rawGet(String target) throws IOException {
        return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (token.isEmpty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n");
    }

    @Override
    public void close() {
        server.close();
        library.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
