package gateway.qa;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallPage;
import gateway.library.CallQuery;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.MonoWav;
import gateway.library.RecordingFormat;
import gateway.library.Role;
import gateway.library.StoredFile;
import gateway.library.TranscriptText;
import gateway.library.WavCodec;
import gateway.library.WavLayout;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The QA API under {@code /api/calls}:
 * <ul>
 *   <li>{@code GET /api/calls?…} a page of call summaries, newest first ({@link ListParameters});</li>
 *   <li>{@code GET /api/calls/{id}} call.json; {@code DELETE /api/calls/{id}} removes the call (audited);</li>
 *   <li>{@code GET /api/calls/{id}/audio.wav[?channel=caller|assistant]}, {@code captions.vtt},
 *       {@code captions.srt}, {@code transcript.txt}: with validators, conditional requests and ranges;</li>
 *   <li>{@code POST /api/calls/{id}/pause-recording} and {@code …/resume-recording} for a call in progress
 *       (audited): paused audio is recorded as silence;</li>
 *   <li>{@code GET|PUT /api/calls/{id}/review}, {@code POST /api/calls/{id}/notes}, {@code DELETE
 *       /api/calls/{id}/notes/{note}} ({@link ReviewApi});</li>
 *   <li>the active calls API ({@link ActiveCallsApi}): {@code GET /api/calls/active}, {@code POST
 *       /api/calls/{id}/say}, {@code …/instructions}, {@code …/hangup}.</li>
 * </ul>
 * Parsing and checks run on the event loop; everything that touches the store runs on the I/O executor.
 */
final class CallsApi {

    private static final System.Logger LOG = System.getLogger(CallsApi.class.getName());
    static final String WAV = "audio/wav";
    static final String VTT = "text/vtt; charset=utf-8";
    static final String SRT = "application/x-subrip; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String TRANSCRIPT = "transcript.txt";
    static final String CHANNEL = "channel";
    /** Seconds a client waits before retrying while the index builds or the I/O threads are busy. */
    private static final String RETRY_AFTER_SECONDS = "1";

    static final String PAUSE_RECORDING = "pause-recording";
    static final String RESUME_RECORDING = "resume-recording";

    private final CallLibrary library;
    private final LiveCalls live;
    private final Executor io;
    private final RepresentationSender sender;
    private final ActiveCallsApi active;
    private final AuditLog audit;
    private final HoldApi hold;

    private final ShareApi share;
    private final ReviewApi review;
    private final ExportApi export;

    CallsApi(CallLibrary library, LiveCalls live, ActiveCallsApi active, AuditLog audit, ShareLinks links,
             Executor io) {
        this(library, live, active, audit, links, io, Scorecard.NONE, io);
    }

    /** {@code scorecard}: the review form; {@code exporter}: the thread that writes export archives. */
    CallsApi(CallLibrary library, LiveCalls live, ActiveCallsApi active, AuditLog audit, ShareLinks links,
             Executor io, Scorecard scorecard, Executor exporter) {
        this.library = library;
        this.live = live;
        this.active = active;
        this.audit = audit;
        this.io = io;
        this.sender = new RepresentationSender(io);
        this.hold = new HoldApi(library, audit);
        this.share = new ShareApi(links, library.store(), audit);
        this.review = new ReviewApi(library, audit, scorecard);
        this.export = new ExportApi(library, audit, exporter, ExportApi.MAX_CALLS);
    }

    CallLibrary library() {
        return library;
    }

    ShareApi share() {
        return share;
    }

    ReviewApi review() {
        return review;
    }

    ExportApi export() {
        return export;
    }

    /** {@code rest}: the decoded path segments after {@code /api/calls}. Event loop. */
    void handle(Exchange exchange, List<String> rest) throws ApiException {
        if (rest.isEmpty()) {
            if (Methods.READ.admit(exchange)) {
                list(exchange);
            }
        } else if (rest.size() == 1 && rest.get(0).equals(ActiveCallsApi.ACTIVE)) {
            if (Methods.READ.admit(exchange)) {
                requireAdmin(exchange);
                onlyParameters(exchange, Set.of());
                active.list(exchange);
            }
        } else if (rest.size() == 2 && ActiveCallsApi.isAction(rest.get(1))) {
            if (Methods.POST.admit(exchange)) {
                CallId id = id(rest.get(0));
                requireAdmin(exchange);
                onlyParameters(exchange, Set.of());
                active.act(exchange, id, rest.get(1));
            }
        } else if (rest.size() == 2 && rest.get(1).equals(ActiveCallsApi.LISTEN_TICKET)) {
            if (Methods.POST.admit(exchange)) {
                CallId id = id(rest.get(0));
                requireAdmin(exchange);
                onlyParameters(exchange, Set.of());
                active.ticket(exchange, id);
            }
        } else if (rest.size() == 2 && rest.get(1).equals(ActiveCallsApi.LISTEN)) {
            if (Methods.GET.admit(exchange)) {
                CallId id = id(rest.get(0));
                requireAdmin(exchange);
                onlyParameters(exchange, Set.of());
                active.listen(exchange, id);
            }
        } else if (rest.size() == 1 && !rest.get(0).isEmpty()) {
            if (Methods.READ_DELETE.admit(exchange)) {
                CallId id = id(rest.get(0));
                onlyParameters(exchange, Set.of());
                if (HttpMethod.DELETE.equals(exchange.method())) {
                    requireAdmin(exchange);
                    delete(exchange, id);
                } else {
                    offload(exchange, () -> callJson(exchange, id));
                }
            }
        } else if (rest.size() == 2 && (rest.get(1).equals(PAUSE_RECORDING) || rest.get(1).equals(RESUME_RECORDING))) {
            if (Methods.POST.admit(exchange)) {
                CallId id = id(rest.get(0));
                requireAdmin(exchange);
                onlyParameters(exchange, Set.of());
                pauseRecording(exchange, id, rest.get(1).equals(PAUSE_RECORDING));
            }
        } else if (rest.size() == 2 && rest.get(1).equals(ShareApi.SHARE)) {
            if (Methods.POST.admit(exchange, Methods.Who.ADMIN)) {
                CallId id = id(rest.get(0));
                Duration expiresIn = ShareApi.expiresIn(exchange);
                offload(exchange, () -> share.create(exchange, id, expiresIn));
            }
        } else if (rest.size() == 2 && rest.get(1).equals(HoldApi.HOLD)) {
            if (HoldApi.METHODS.admit(exchange)) {
                CallId id = id(rest.get(0));
                onlyParameters(exchange, Set.of());
                if (HoldApi.reads(exchange)) {
                    offload(exchange, () -> hold.read(exchange, id));
                } else {
                    hold.change(exchange, id);
                }
            }
        } else if (rest.size() == 2 && rest.get(1).equals(ReviewApi.REVIEW)) {
            if (ReviewApi.REVIEW_METHODS.admit(exchange, Methods.Who.REVIEWER)) {
                CallId id = id(rest.get(0));
                if (HttpMethod.PUT.equals(exchange.method())) {
                    review.put(exchange, id);
                } else {
                    offload(exchange, () -> {
                        review.read(exchange, id);
                        audit.recordRead(exchange, "view", id.value(), RecordingFormat.REVIEW_FILE);
                    });
                }
            }
        } else if (rest.size() == 2 && rest.get(1).equals(ReviewApi.NOTES)) {
            if (Methods.POST.admit(exchange, Methods.Who.REVIEWER)) {
                review.addNote(exchange, id(rest.get(0)));
            }
        } else if (rest.size() == 3 && rest.get(1).equals(ReviewApi.NOTES)) {
            if (Methods.DELETE.admit(exchange, Methods.Who.REVIEWER)) {
                CallId id = id(rest.get(0));
                review.deleteNote(exchange, id, ReviewApi.noteId(rest.get(2)));
            }
        } else if (rest.size() == 2 && !rest.get(0).isEmpty()) {
            if (Methods.READ.admit(exchange)) {
                file(exchange, id(rest.get(0)), rest.get(1));
            }
        } else {
            throw ApiException.notFound("no such resource");
        }
    }

    private void list(Exchange exchange) throws ApiException {
        CallQuery query = ListParameters.parse(exchange.parameters());
        if (!library.ready()) {
            exchange.send(indexBuilding());
            return;
        }
        offload(exchange, () -> {
            Optional<CallPage> page = library.list(query);
            if (page.isEmpty()) {
                exchange.send(indexBuilding());
                return;
            }
            audit.record(exchange, "list", null, exchange.rawQuery());
            FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(CallListJson.render(page.get(), library::held, query.sort())),
                    Exchange.JSON);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            exchange.send(response);
        });
    }

    private void callJson(Exchange exchange, CallId id) throws ApiException, IOException {
        sender.send(exchange, Representation.stored(open(exchange, id, CallFile.CALL_JSON), Exchange.JSON, null));
    }

    private void file(Exchange exchange, CallId id, String name) throws ApiException {
        switch (name) {
            case RecordingFormat.AUDIO_FILE -> {
                onlyParameters(exchange, Set.of(CHANNEL));
                List<String> channel = exchange.parameters().get(CHANNEL);
                if (channel == null) {
                    offload(exchange, () -> sender.send(exchange, Representation.stored(
                            open(exchange, id, CallFile.AUDIO), WAV, inline(id.value() + ".wav"))));
                } else {
                    Optional<Role> role = Role.fromJsonName(channel.get(0));
                    if (role.isEmpty() || channel.size() > 1) {
                        throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER,
                                "channel must be caller or assistant");
                    }
                    offload(exchange, () -> mono(exchange, id, role.get()));
                }
            }
            case RecordingFormat.VTT_FILE -> stored(exchange, id, CallFile.CAPTIONS_VTT, VTT);
            case RecordingFormat.SRT_FILE -> stored(exchange, id, CallFile.CAPTIONS_SRT, SRT);
            case TRANSCRIPT -> {
                onlyParameters(exchange, Set.of());
                offload(exchange, () -> transcript(exchange, id));
            }
            default -> throw ApiException.notFound("a call has audio.wav, captions.vtt, captions.srt and"
                    + " transcript.txt");
        }
    }

    private void stored(Exchange exchange, CallId id, CallFile file, String type) throws ApiException {
        onlyParameters(exchange, Set.of());
        offload(exchange, () -> sender.send(exchange, Representation.stored(open(exchange, id, file), type, null)));
    }

    private void mono(Exchange exchange, CallId id, Role role) throws ApiException, IOException {
        StoredFile audio = open(exchange, id, CallFile.AUDIO);
        try {
            WavLayout layout = WavCodec.layout(audio);
            if (layout.channels() != RecordingFormat.CHANNELS) {
                throw new IOException("audio.wav has " + layout.channels() + " channels, not "
                        + RecordingFormat.CHANNELS);
            }
            String channel = role.jsonName();
            sender.send(exchange, Representation.mono(audio, MonoWav.of(layout, role.channel()), channel,
                    inline(id.value() + "-" + channel + ".wav")));
        } catch (IOException | RuntimeException e) {
            audio.close();
            throw e;
        }
    }

    private void transcript(Exchange exchange, CallId id) throws ApiException, IOException {
        byte[] json;
        Validators validators;
        try (StoredFile callJson = open(exchange, id, CallFile.CALL_JSON)) {
            json = callJson.readAll();
            validators = new Validators(Validators.strongTag(callJson.version() + "-txt"), callJson.lastModified());
        }
        byte[] text = TranscriptText.render(json).getBytes(StandardCharsets.UTF_8);
        sender.send(exchange, Representation.bytes(text, validators, TEXT));
    }

    private void delete(Exchange exchange, CallId id) {
        if (!library.ready()) {
            exchange.send(indexBuilding());
            return;
        }
        library.delete(id).whenComplete((outcome, error) -> {
            String client = exchange.client().getAddress().getHostAddress() + ":" + exchange.client().getPort();
            String token = exchange.tokenUsed() ? "yes" : "no";
            if (error != null) {
                LOG.log(Level.ERROR, "audit: DELETE call {0} from {1} (bearer token: {2}) failed: {3}",
                        id, client, token, error.toString());
                exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                        "the call could not be deleted");
                return;
            }
            String result = outcome.name().toLowerCase(java.util.Locale.ROOT);
            LOG.log(Level.INFO, "audit: DELETE call {0} from {1} (bearer token: {2}): {3}", id, client, token, result);
            audit.record(exchange, "delete", id.value(), result);
            switch (outcome) {
                case DELETED -> exchange.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
                case ABSENT -> exchange.sendError(notFound());
                case IN_PROGRESS -> exchange.sendError(inProgress());
                case HELD -> exchange.sendError(HttpResponseStatus.CONFLICT, ErrorCodes.LEGAL_HOLD,
                        "the call is under legal hold; an admin must lift it (DELETE /api/calls/" + id
                                + "/hold) before it can be deleted");
                default -> throw new IllegalStateException("unknown outcome " + outcome);
            }
        });
    }

    /** Pauses or resumes the recording of a call in progress; audited like a delete. */
    private void pauseRecording(Exchange exchange, CallId id, boolean paused) {
        String action = paused ? "pause" : "resume";
        String client = exchange.client().getAddress().getHostAddress() + ":" + exchange.client().getPort();
        String token = exchange.tokenUsed() ? "yes" : "no";
        var pending = live.pauseRecording(id.toString(), paused);
        String event = action + "_recording";
        if (pending.isEmpty()) {
            audit.record(exchange, event, id.value(), "no such call in progress");
            LOG.log(Level.INFO, "audit: {0} recording of call {1} from {2} (bearer token: {3}): no such call in"
                    + " progress", action, id, client, token);
            exchange.sendError(ApiException.notFound("no call in progress has this id"));
            return;
        }
        pending.get().whenComplete((changed, error) -> {
            if (error != null) {
                LOG.log(Level.INFO, "audit: {0} recording of call {1} from {2} (bearer token: {3}): refused, {4}",
                        action, id, client, token, error.getMessage());
                audit.record(exchange, event, id.value(), "refused, " + error.getMessage());
                exchange.sendError(HttpResponseStatus.CONFLICT, ErrorCodes.NOT_ANSWERED,
                        "the call's recording cannot be " + action + "d now: " + error.getMessage());
                return;
            }
            LOG.log(Level.INFO, "audit: {0} recording of call {1} from {2} (bearer token: {3}): {4}", action, id,
                    client, token, changed ? "done" : "already so");
            audit.record(exchange, event, id.value(), changed ? "done" : "already so");
            String body = "{\"id\":\"" + id + "\",\"recording\":\"" + (paused ? "paused" : "recording")
                    + "\",\"changed\":" + changed + "}";
            FullHttpResponse response = Exchange.full(HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), Exchange.JSON);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            exchange.send(response);
        });
    }

    /**
     * Opens a file of a finished call for {@code exchange} and audits the read ({@link AuditLog#recordRead}): the
     * audio is a {@code listen}, call.json a {@code view}, captions and the transcript a {@code download}.
     */
    private StoredFile open(Exchange exchange, CallId id, CallFile file) throws ApiException, IOException {
        StoredFile opened = open(id, file);
        String path = exchange.rawPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        switch (file) {
            case AUDIO -> audit.recordRead(exchange, "listen", id.value(), RecordingFormat.AUDIO_FILE);
            case CALL_JSON -> audit.recordRead(exchange, name.equals(TRANSCRIPT) ? "download" : "view", id.value(),
                    name.equals(TRANSCRIPT) ? TRANSCRIPT : RecordingFormat.CALL_JSON_FILE);
            default -> audit.recordRead(exchange, "download", id.value(), file.fileName());
        }
        return opened;
    }

    /** Opens a file of a finished call: 404 when there is no such call or file, 409 while it is recorded. */
    private StoredFile open(CallId id, CallFile file) throws ApiException, IOException {
        CallStore store = library.store();
        CallStatus status = store.status(id);
        if (status == CallStatus.ABSENT) {
            throw notFound();
        }
        if (status == CallStatus.IN_PROGRESS) {
            throw inProgress();
        }
        return store.open(id, file).orElseThrow(() -> ApiException.notFound("the call has no " + file.fileName()));
    }

    private static CallId id(String segment) throws ApiException {
        return CallId.parse(segment).orElseThrow(() -> ApiException.badRequest(ErrorCodes.INVALID_ID,
                "a call id is 1 to " + CallId.MAX_LENGTH + " letters, digits, '.', '_' or '-'"));
    }

    /** 403 unless an admin sent the request ({@link ApiRole}). */
    static void requireAdmin(Exchange exchange) throws ApiException {
        Principal who = exchange.principal();
        if (!who.admin()) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, ErrorCodes.ADMIN_ONLY, who.shared()
                    ? "a share link only reads its call" : "this needs an admin token; '" + who.name() + "' is a "
                    + who.role().jsonName());
        }
    }

    static void onlyParameters(Exchange exchange, Set<String> allowed) throws ApiException {
        for (String name : exchange.parameters().keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(ErrorCodes.UNKNOWN_PARAMETER, allowed.isEmpty()
                        ? "this resource takes no parameters" : "this resource takes only " + allowed);
            }
        }
    }

    private static String inline(String fileName) {
        return "inline; filename=\"" + fileName + "\"";
    }

    private static ApiException notFound() {
        return ApiException.notFound("no call with this id");
    }

    private static ApiException inProgress() {
        return new ApiException(HttpResponseStatus.CONFLICT, ErrorCodes.CALL_IN_PROGRESS,
                "the call is still being recorded (or waits for crash recovery)");
    }

    static FullHttpResponse indexBuilding() {
        FullHttpResponse response = Exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.INDEX_BUILDING,
                "the call index is being built; retry shortly");
        response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return response;
    }

    /**
     * Runs store work on the I/O executor (also for the other /api routes); failures become JSON errors, a full
     * executor a 503.
     */
    void offload(Exchange exchange, IoTask task) {
        try {
            io.execute(() -> {
                try {
                    task.run();
                } catch (ApiException e) {
                    exchange.sendError(e);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "request " + exchange.method() + " " + exchange.rawPath() + " failed", e);
                    exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                            "the request failed inside the gateway");
                }
            });
        } catch (RejectedExecutionException e) {
            FullHttpResponse busy = Exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY,
                    "too many requests in progress; retry shortly");
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            exchange.send(busy);
        }
    }

    /** Work for the I/O executor. */
    interface IoTask {
        void run() throws ApiException, IOException;
    }
}
