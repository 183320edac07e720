package gateway.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallAnalytics;
import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallJson;
import gateway.library.CallLibrary;
import gateway.library.CallPage;
import gateway.library.CallQuery;
import gateway.library.IndexedCall;
import gateway.library.ReviewSummary;
import gateway.library.StoredFile;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code GET /api/export?<the list's filters>} (admins): a ZIP of the matching calls, newest first, each as
 * {@code <id>/audio.wav}, {@code call.json}, {@code captions.vtt}, {@code captions.srt} and {@code review.json}
 * (those it has), then {@code analytics.csv} (one row per call) and {@code manifest.json} (the query, the calls
 * and each one's files). At most {@link #MAX_CALLS} calls: a filter matching more is a 400. The archive is written
 * on the export thread while the client reads it ({@link ChunkedBody}): never whole in memory, never on an event
 * loop; audio is stored as it is (it hardly compresses), the text files deflated. Audited once ({@code export},
 * with the number of calls and the query).
 */
final class ExportApi {

    private static final System.Logger LOG = System.getLogger(ExportApi.class.getName());
    static final String EXPORT = "export";
    /** Most calls in one archive: about a day of a busy line, and an hour or so to download. */
    static final int MAX_CALLS = 1000;
    static final String ZIP = "application/zip";
    /** The files of a call an archive holds, in this order. */
    static final List<CallFile> FILES = List.of(CallFile.AUDIO, CallFile.CALL_JSON, CallFile.CAPTIONS_VTT,
            CallFile.CAPTIONS_SRT, CallFile.REVIEW);
    /** The columns of analytics.csv. */
    static final String CSV_HEADER = "id,started_at,duration_ms,profile,end_reason,replies,latency_p50_ms,"
            + "latency_p95_ms,latency_max_ms,talk_over_ms,talk_over_count,dead_air_count,longest_dead_air_ms,"
            + "caller_talk_ms,agent_talk_ms,agent_talk_share,longest_monologue_ms,reviewers,score\r\n";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final CallLibrary library;
    private final AuditLog audit;
    private final Executor exporter;
    private final int maxCalls;

    /** {@code exporter} runs one archive at a time and refuses more ({@link RejectedExecutionException}). */
    ExportApi(CallLibrary library, AuditLog audit, Executor exporter, int maxCalls) {
        this.library = library;
        this.audit = audit;
        this.exporter = exporter;
        this.maxCalls = maxCalls;
    }

    /** Checks the request on the event loop and starts the export on its thread. */
    void start(Exchange exchange) throws ApiException {
        CallsApi.requireAdmin(exchange);
        Set<String> paging = Set.of("limit", "cursor");
        for (String name : exchange.parameters().keySet()) {
            if (paging.contains(name)) {
                throw ApiException.badRequest(ErrorCodes.UNKNOWN_PARAMETER,
                        "an export takes the list's filters, not " + name + ": it holds every matching call");
            }
        }
        CallQuery query = ListParameters.parse(exchange.parameters()).firstPage(maxCalls + 1);
        if (!library.ready()) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.INDEX_BUILDING,
                    "the call index is being built; retry shortly");
        }
        try {
            exporter.execute(() -> export(exchange, query));
        } catch (RejectedExecutionException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY,
                    "an export is already being written; retry when it is done");
        }
    }

    /** Export thread. */
    private void export(Exchange exchange, CallQuery query) {
        Optional<CallPage> page = library.list(query);
        if (page.isEmpty()) {
            exchange.sendError(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.INDEX_BUILDING,
                    "the call index is being built; retry shortly");
            return;
        }
        List<IndexedCall> calls = page.get().calls();
        if (calls.size() > maxCalls) {
            exchange.sendError(HttpResponseStatus.BAD_REQUEST, ErrorCodes.TOO_MANY_CALLS, "the filters match more"
                    + " than " + maxCalls + " calls, the most one export holds; narrow them (since, until, …)");
            return;
        }
        Instant now = audit.clock().instant();
        audit.record(exchange, EXPORT, null, calls.size() + " calls; " + exchange.rawQuery());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, ZIP);
        head.headers().set(HttpHeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"calls-" + FILE_TIME.format(now) + ".zip\"");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setTransferEncodingChunked(head, true);
        if (!exchange.start(head)) {
            return;
        }
        ChunkedBody body = new ChunkedBody(exchange);
        // Closed only when whole: closing after a failure would end the response as a valid but partial archive.
        ZipOutputStream zip = new ZipOutputStream(body, StandardCharsets.UTF_8);
        try {
            zip.setLevel(Deflater.BEST_SPEED);
            ObjectNode manifest = MAPPER.createObjectNode().put("exported_at", CallJson.utc(now))
                    .put("exported_by", exchange.principal().name()).put("query", exchange.rawQuery())
                    .put("count", calls.size());
            ArrayNode list = manifest.putArray("calls");
            StringBuilder csv = new StringBuilder(CSV_HEADER);
            for (IndexedCall call : calls) {
                list.add(writeCall(zip, call));
                csvRow(csv, call);
            }
            deflated(zip, "analytics.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            deflated(zip, "manifest.json", (manifest.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
            zip.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "export stopped after {0} bytes: {1}", body.written(), e.toString());
            exchange.abort();
        }
    }

    /** Writes one call's files; returns its manifest entry. */
    private ObjectNode writeCall(ZipOutputStream zip, IndexedCall call) throws IOException {
        ObjectNode entry = MAPPER.createObjectNode().put("id", call.id())
                .put("started_at", CallJson.utc(call.startedAt()));
        ArrayNode files = entry.putArray("files");
        CallId id = new CallId(call.id());
        for (CallFile file : FILES) {
            Optional<StoredFile> opened = library.store().open(id, file);
            if (opened.isEmpty()) {
                continue;
            }
            String name = call.id() + "/" + file.fileName();
            try (StoredFile f = opened.get()) {
                if (file == CallFile.AUDIO) {
                    stored(zip, name, f);
                } else {
                    deflated(zip, name, f.readAll());
                }
            }
            files.addObject().put("name", name).put("bytes", opened.get().size());
        }
        return entry;
    }

    /** A file as it is: its CRC first (a ZIP's stored entry needs it up front), then its bytes. */
    private static void stored(ZipOutputStream zip, String name, StoredFile file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ChunkedBody.CHUNK_BYTES);
        CRC32 crc = new CRC32();
        readAll(name, file, buffer, n -> crc.update(buffer.array(), 0, n));
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(file.size());
        entry.setCompressedSize(file.size());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        readAll(name, file, buffer, n -> zip.write(buffer.array(), 0, n));
        zip.closeEntry();
    }

    /** What to do with the first {@code n} bytes of the buffer. */
    private interface Chunk {
        void take(int n) throws IOException;
    }

    /** Reads {@code file} start to end through {@code buffer}, a buffer full at a time. */
    private static void readAll(String name, StoredFile file, ByteBuffer buffer, Chunk chunk) throws IOException {
        long size = file.size();
        for (long at = 0; at < size; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - at));
            int n = file.read(buffer, at);
            if (n < 0) {
                throw new IOException(name + " ended at byte " + at + " of " + size);
            }
            chunk.take(n);
            at += n;
        }
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** One row of analytics.csv (RFC 4180); figures a call does not have are empty cells. */
    static void csvRow(StringBuilder csv, IndexedCall call) {
        csv.append(cell(call.id())).append(',').append(CallJson.utc(call.startedAt())).append(',')
                .append(call.durationMs()).append(',').append(cell(call.profile())).append(',')
                .append(cell(call.endReason()));
        CallAnalytics a = call.analytics();
        if (a == null) {
            csv.append(",".repeat(12));
        } else {
            csv.append(',').append(a.responses()).append(',').append(a.latencyP50Ms()).append(',')
                    .append(a.latencyP95Ms()).append(',').append(a.latencyMaxMs()).append(',')
                    .append(a.talkOverMs()).append(',').append(a.talkOverCount()).append(',')
                    .append(a.deadAirCount()).append(',').append(a.longestDeadAirMs()).append(',')
                    .append(a.callerTalkMs()).append(',').append(a.agentTalkMs()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", a.agentTalkShare())).append(',')
                    .append(a.longestMonologueMs());
        }
        ReviewSummary review = call.review();
        csv.append(',').append(review == null ? 0 : review.reviewers()).append(',');
        if (review != null && review.reviewed()) {
            csv.append(review.score());
        }
        csv.append("\r\n");
    }

    /**
     * A text cell: quoted when it holds a comma, quote or line break (RFC 4180 §2), and kept from being read as a
     * formula by a spreadsheet (a leading =, +, - or @ gets a ').
     */
    static String cell(String text) {
        if (text == null) {
            return "";
        }
        String safe = !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
