package gateway.qa;

import static gateway.qa.ApiFixture.FIRST;
import static gateway.qa.ApiFixture.RUNNING;
import static gateway.qa.ApiFixture.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.GatedStore;
import gateway.testkit.LogCapture;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the QA API over a real loopback socket, without a token (loopback clients only). */
class CallsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path base;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(base, "");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    // ---- the list ----

    @Test
    void theListHasOneSummaryPerFinishedCallNewestFirst() throws Exception {
        HttpResponse<byte[]> r = api.get("/api/calls");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "content-type"));
        assertEquals("no-store", header(r, "cache-control"));
        assertEquals(JSON.readTree("""
                {"calls":[
                 {"id":"20261130T190000Z-bbbb0002","sip_call_id":"sip-call-2@198.51.100.7",
                  "started_at":"2026-11-30T19:00:00.000Z","ended_at":"2026-11-30T19:00:00.510Z","duration_ms":500,
                  "from":"sip:+15550002222@198.51.100.8","to":"sip:Sales@GW.example.com",
                  "end_reason":"realtime_lost","codec":"PCMA","profile":null,"turn_count":1,"hold_count":0,
                  "session_count":0,
                  "recording_complete":true,"excerpt":"Caller: Where is my order?","legal_hold":false,
                  "analytics":{"latency_p95_ms":0,"longest_dead_air_ms":0,"talk_over_count":1}},
                 {"id":"20261130T180102Z-aaaa0001","sip_call_id":"sip-call-1@198.51.100.7",
                  "started_at":"2026-11-30T18:01:02.345Z","ended_at":"2026-11-30T18:01:03.365Z","duration_ms":1000,
                  "from":"sip:+15550001111@198.51.100.7","to":"sip:agent@gw.example.com",
                  "end_reason":"caller_bye","codec":"PCMU","profile":null,"turn_count":2,"hold_count":1,
                  "session_count":1,
                  "recording_complete":true,"excerpt":"Caller: Hello, I need a refund. Assistant: Sure, let me check.",
                  "legal_hold":false,
                  "analytics":{"latency_p95_ms":0,"longest_dead_air_ms":0,"talk_over_count":1}}
                ],"next_cursor":null}"""), json(r));
    }

    @Test
    void limitAndCursorPageThroughTheList() throws Exception {
        JsonNode first = json(api.get("/api/calls?limit=1"));
        assertEquals(List.of(SECOND), ids(first));
        String cursor = first.get("next_cursor").asText();
        JsonNode second = json(api.get("/api/calls?limit=1&cursor=" + cursor));
        assertEquals(List.of(FIRST), ids(second));
        assertTrue(second.get("next_cursor").isNull());
    }

    @Test
    void everyFilterIsAppliedFromTheQueryString() throws Exception {
        assertEquals(List.of(FIRST), ids(json(api.get("/api/calls?until=2026-11-30T19:00:00Z"))));
        assertEquals(List.of(SECOND), ids(json(api.get("/api/calls?since=2026-11-30T18:30:00%2B00:00"))));
        assertEquals(List.of(SECOND), ids(json(api.get("/api/calls?since=" + (1_796_065_200_000L - 1)))));
        assertEquals(List.of(SECOND, FIRST), ids(json(api.get("/api/calls?since=2026-11-30&until=2026-12-01"))));
        assertEquals(List.of(SECOND), ids(json(api.get("/api/calls?from=5550002222"))));
        assertEquals(List.of(SECOND), ids(json(api.get("/api/calls?to=sales%40gw"))));
        assertEquals(List.of(FIRST), ids(json(api.get("/api/calls?min_duration_ms=600"))));
        assertEquals(List.of(SECOND), ids(json(api.get("/api/calls?end_reason=realtime_lost"))));
        assertEquals(List.of(FIRST), ids(json(api.get("/api/calls?q=REFUND+check"))));
        assertEquals(List.of(), ids(json(api.get("/api/calls?q=refund+order"))));
        // Both fixture calls carry the test pattern on both channels throughout: talk-over, no reply, no dead air.
        assertEquals(List.of(SECOND, FIRST), ids(json(api.get("/api/calls?has_talk_over=true"))));
        assertEquals(List.of(), ids(json(api.get("/api/calls?min_p95_latency_ms=1"))));
        assertEquals(List.of(), ids(json(api.get("/api/calls?min_dead_air_ms=3000&has_talk_over=true"))));
        assertEquals(List.of(), ids(json(api.get("/api/calls?profile=default"))), "recorded before profiles");
        assertEquals(List.of(FIRST, SECOND), ids(json(api.get("/api/calls?sort=duration"))), "1 s, then 0.5 s");
        JsonNode longest = json(api.get("/api/calls?sort=duration&limit=1"));
        assertEquals(List.of(FIRST), ids(longest));
        JsonNode next = json(api.get("/api/calls?sort=duration&limit=1&cursor="
                + longest.path("next_cursor").asText()));
        assertEquals(List.of(SECOND), ids(next));
        assertTrue(next.path("next_cursor").isNull());
    }

    @Test
    void badListParametersGet400WithAJsonError() throws Exception {
        HttpResponse<byte[]> r = api.get("/api/calls?limit=501");
        assertEquals(400, r.statusCode());
        assertEquals("application/json", header(r, "content-type"));
        assertEquals(JSON.readTree("{\"error\":{\"code\":\"invalid_parameter\","
                + "\"message\":\"limit must be between 1 and 500\"}}"), json(r));
        assertError(api.get("/api/calls?limit=0"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?limit=ten"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?since=yesterday"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?since=2026-11-30T18:00:00+01:00"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?since=2026-12-01&until=2026-11-30"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?min_duration_ms=-5"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?has_talk_over=yes"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?min_p95_latency_ms=slow"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?end_reason=Caller%20Bye"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?profile=sales%2Fsupport"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?sort=loudest"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?q=%21%21%21"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?q=" + "a".repeat(257)), 400, "invalid_parameter");
        assertError(api.get("/api/calls?limit=1&limit=2"), 400, "invalid_parameter");
        assertError(api.get("/api/calls?cursor=bm90LWEtY3Vyc29y"), 400, "invalid_cursor");
        assertError(api.get("/api/calls?min_duration=5"), 400, "unknown_parameter");
    }

    @Test
    void whileTheIndexIsBuiltTheListSays503AndTheRestWorks(@TempDir Path other) throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        GatedStore store = new GatedStore(api.recordings, gate);
        try (ApiFixture building = ApiFixture.serving(other, store)) {
            HttpResponse<byte[]> r = building.get("/api/calls");
            assertError(r, 503, "index_building");
            assertEquals("1", header(r, "retry-after"));
            assertError(building.send("DELETE", "/api/calls/" + FIRST), 503, "index_building");
            assertEquals(200, building.get("/api/calls/" + FIRST).statusCode(), "a call is served from its files");
            gate.countDown();
            building.library.built().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(List.of(SECOND, FIRST), ids(json(building.get("/api/calls"))));
        }
    }

    // ---- call.json and the files ----

    @Test
    void callJsonIsTheFileWithItsValidators() throws Exception {
        byte[] file = Files.readAllBytes(api.recordings.resolve(FIRST).resolve("call.json"));
        HttpResponse<byte[]> r = api.get("/api/calls/" + FIRST);
        assertEquals(200, r.statusCode());
        assertArrayEquals(file, r.body());
        assertEquals("application/json", header(r, "content-type"));
        assertEquals(String.valueOf(file.length), header(r, "content-length"));
        assertTrue(header(r, "etag").matches("\"[0-9a-f]+-[0-9a-f]+\""), header(r, "etag"));
        assertEquals(io.netty.handler.codec.DateFormatter.format(java.util.Date.from(
                Files.getLastModifiedTime(api.recordings.resolve(FIRST).resolve("call.json")).toInstant())),
                header(r, "last-modified"));
        assertEquals("private, no-cache", header(r, "cache-control"));
        assertEquals("nosniff", header(r, "x-content-type-options"));
        assertEquals("bytes", header(r, "accept-ranges"));
        assertFalse(header(r, "date").isEmpty());
    }

    @Test
    void conditionalRequestsAnswer304WhenTheClientIsCurrent() throws Exception {
        HttpResponse<byte[]> full = api.get("/api/calls/" + FIRST);
        String etag = header(full, "etag");
        String lastModified = header(full, "last-modified");
        for (String inm : List.of(etag, "\"other\", " + etag, "W/" + etag, "*")) {
            HttpResponse<byte[]> r = api.get("/api/calls/" + FIRST, "If-None-Match", inm);
            assertEquals(304, r.statusCode(), inm);
            assertEquals(0, r.body().length);
            assertEquals(etag, header(r, "etag"));
            assertEquals(lastModified, header(r, "last-modified"));
        }
        assertEquals(200, api.get("/api/calls/" + FIRST, "If-None-Match", "\"other\"").statusCode());
        assertEquals(304, api.get("/api/calls/" + FIRST, "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, api.get("/api/calls/" + FIRST, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")
                .statusCode());
        assertEquals(200, api.get("/api/calls/" + FIRST, "If-None-Match", "\"other\"", "If-Modified-Since",
                lastModified).statusCode(), "If-None-Match decides when both are sent (RFC 9110 §13.1.3)");
        assertEquals(200, api.get("/api/calls/" + FIRST, "If-Modified-Since", lastModified + ";" + "x".repeat(60))
                .statusCode(), "a value that is not an HTTP-date is ignored, however long (found by QueryFuzzTest)");
    }

    @Test
    void audioIsServedWholeOrByRangeAsRfc9110Section14Says() throws Exception {
        byte[] file = Files.readAllBytes(api.recordings.resolve(FIRST).resolve("audio.wav"));
        int len = file.length;
        HttpResponse<byte[]> whole = api.get("/api/calls/" + FIRST + "/audio.wav");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(file, whole.body());
        assertEquals("audio/wav", header(whole, "content-type"));
        assertEquals("bytes", header(whole, "accept-ranges"));
        assertEquals("inline; filename=\"" + FIRST + ".wav\"", header(whole, "content-disposition"));

        assertRange(api.get("/api/calls/" + FIRST + "/audio.wav", "Range", "bytes=0-99"), file, 0, 99);
        assertRange(api.get("/api/calls/" + FIRST + "/audio.wav", "Range", "bytes=44-"), file, 44, len - 1);
        assertRange(api.get("/api/calls/" + FIRST + "/audio.wav", "Range", "bytes=-50"), file, len - 50, len - 1);
        assertRange(api.get("/api/calls/" + FIRST + "/audio.wav", "Range", "bytes=1000-99999999"), file, 1000,
                len - 1);
        for (String ignored : List.of("bytes=10-5", "bytes=0-0,5-9", "items=0-5", "bytes=abc")) {
            HttpResponse<byte[]> r = api.get("/api/calls/" + FIRST + "/audio.wav", "Range", ignored);
            assertEquals(200, r.statusCode(), ignored);
            assertArrayEquals(file, r.body(), ignored);
        }
        for (String unsatisfiable : List.of("bytes=" + len + "-", "bytes=-0")) {
            HttpResponse<byte[]> r = api.get("/api/calls/" + FIRST + "/audio.wav", "Range", unsatisfiable);
            assertError(r, 416, "range_not_satisfiable");
            assertEquals("bytes */" + len, header(r, "content-range"));
        }
    }

    @Test
    void ifRangeHonoursTheRangeOnlyForTheCurrentRepresentation() throws Exception {
        byte[] file = Files.readAllBytes(api.recordings.resolve(FIRST).resolve("audio.wav"));
        HttpResponse<byte[]> head = api.send("HEAD", "/api/calls/" + FIRST + "/audio.wav");
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(file.length), header(head, "content-length"));
        assertEquals(0, head.body().length);
        String etag = header(head, "etag");
        String path = "/api/calls/" + FIRST + "/audio.wav";
        assertRange(api.get(path, "Range", "bytes=4-7", "If-Range", etag), file, 4, 7);
        assertRange(api.get(path, "Range", "bytes=4-7", "If-Range", header(head, "last-modified")), file, 4, 7);
        assertEquals(200, api.get(path, "Range", "bytes=4-7", "If-Range", "\"stale\"").statusCode());
        assertEquals(200, api.get(path, "Range", "bytes=4-7", "If-Range", "W/" + etag).statusCode(),
                "a weak tag never matches If-Range");
        assertEquals(200, api.send("HEAD", path, "Range", "bytes=4-7").statusCode(), "no ranges for HEAD");
    }

    @Test
    void eachChannelIsAMonoWavOfItsOwnAlsoByRange() throws Exception {
        WavReader.Wav stereo = WavReader.read(api.recordings.resolve(FIRST).resolve("audio.wav"));
        String stereoTag = header(api.get("/api/calls/" + FIRST + "/audio.wav"), "etag");
        String previousTag = stereoTag;
        for (String channel : List.of("caller", "assistant")) {
            HttpResponse<byte[]> r = api.get("/api/calls/" + FIRST + "/audio.wav?channel=" + channel);
            assertEquals(200, r.statusCode());
            assertEquals("audio/wav", header(r, "content-type"));
            assertEquals("inline; filename=\"" + FIRST + "-" + channel + ".wav\"", header(r, "content-disposition"));
            assertEquals(String.valueOf(44 + 2 * ApiFixture.FIRST_FRAMES), header(r, "content-length"));
            Path mono = base.resolve(channel + ".wav");
            Files.write(mono, r.body());
            WavReader.Wav wav = WavReader.read(mono);
            assertEquals(1, wav.channels());
            assertEquals(ApiFixture.RATE, wav.sampleRate());
            assertArrayEquals(stereo.channel(channel.equals("caller") ? 0 : 1), wav.channel(0));
            assertEquals(channel.equals("caller") ? Signals.callerPattern(1234) : Signals.assistantPattern(1234),
                    wav.channel(0)[1234]);
            String tag = header(r, "etag");
            assertNotEquals(previousTag, tag, "each representation has its own entity tag");
            previousTag = tag;
            assertRange(api.get("/api/calls/" + FIRST + "/audio.wav?channel=" + channel, "Range", "bytes=45-1044"),
                    r.body(), 45, 1044);
            assertEquals(304, api.get("/api/calls/" + FIRST + "/audio.wav?channel=" + channel,
                    "If-None-Match", tag).statusCode());
        }
        assertError(api.get("/api/calls/" + FIRST + "/audio.wav?channel=left"), 400, "invalid_parameter");
        assertError(api.get("/api/calls/" + FIRST + "/audio.wav?channel=caller&channel=assistant"), 400,
                "invalid_parameter");
        assertError(api.get("/api/calls/" + FIRST + "/audio.wav?chanel=caller"), 400, "unknown_parameter");
    }

    @Test
    void captionsAndTranscriptHaveTheirTypesAndContent() throws Exception {
        Path dir = api.recordings.resolve(FIRST);
        HttpResponse<byte[]> vtt = api.get("/api/calls/" + FIRST + "/captions.vtt");
        assertEquals(200, vtt.statusCode());
        assertEquals("text/vtt; charset=utf-8", header(vtt, "content-type"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("captions.vtt")), vtt.body());
        HttpResponse<byte[]> srt = api.get("/api/calls/" + FIRST + "/captions.srt");
        assertEquals("application/x-subrip; charset=utf-8", header(srt, "content-type"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("captions.srt")), srt.body());
        HttpResponse<byte[]> text = api.get("/api/calls/" + FIRST + "/transcript.txt");
        assertEquals(200, text.statusCode());
        assertEquals("text/plain; charset=utf-8", header(text, "content-type"));
        assertEquals("""
                [00:00:00.100 - 00:00:00.900] Caller: Hello, I need a refund.
                [00:00:01.000 - 00:00:01.900] Assistant: Sure, let me check. [interrupted]
                """, new String(text.body(), StandardCharsets.UTF_8));
        assertEquals(304, api.get("/api/calls/" + FIRST + "/transcript.txt", "If-None-Match",
                header(text, "etag")).statusCode());
        assertNotEquals(header(api.get("/api/calls/" + FIRST), "etag"), header(text, "etag"));
    }

    // ---- delete ----

    @Test
    void deleteRemovesTheCallAndSaysSoInTheAuditLog() throws Exception {
        try (LogCapture log = LogCapture.of(CallsApi.class)) {
            HttpResponse<byte[]> r = api.send("DELETE", "/api/calls/" + FIRST);
            assertEquals(204, r.statusCode());
            assertEquals(0, r.body().length);
            assertFalse(Files.exists(api.recordings.resolve(FIRST)));
            assertError(api.get("/api/calls/" + FIRST), 404, "not_found");
            assertError(api.get("/api/calls/" + FIRST + "/audio.wav"), 404, "not_found");
            assertEquals(List.of(SECOND), ids(json(api.get("/api/calls"))));
            assertError(api.send("DELETE", "/api/calls/" + FIRST), 404, "not_found");
            List<String> audit = log.lines().stream().filter(l -> l.message().contains("audit:"))
                    .map(l -> l.logger() + ": " + l.message()).toList();
            assertEquals(2, audit.size(), audit.toString());
            assertTrue(audit.get(0).matches("gateway\\.qa\\.CallsApi: audit: DELETE call " + FIRST
                    + " from 127\\.0\\.0\\.1:[0-9]+ \\(bearer token: no\\): deleted"), audit.get(0));
            assertTrue(audit.get(1).endsWith("(bearer token: no): absent"), audit.get(1));
        }
    }

    @Test
    void aCallStillRecordingIsAConflictNotAFile() throws Exception {
        assertError(api.get("/api/calls/" + RUNNING), 409, "call_in_progress");
        assertError(api.get("/api/calls/" + RUNNING + "/audio.wav"), 409, "call_in_progress");
        assertError(api.send("DELETE", "/api/calls/" + RUNNING), 409, "call_in_progress");
        assertTrue(Files.exists(api.recordings.resolve(RUNNING).resolve("call.json.partial")));
    }

    // ---- routing, methods, errors ----

    @Test
    void unknownThingsAre404AndOtherMethods405() throws Exception {
        assertError(api.get("/api/calls/no-such-call"), 404, "not_found");
        assertError(api.get("/api/calls/" + FIRST + "/call.json.partial"), 404, "not_found");
        assertError(api.get("/api/calls/" + FIRST + "/audio.wav/more"), 404, "not_found");
        assertError(api.get("/api/other"), 404, "not_found");
        assertError(api.get("/favicon.ico"), 404, "not_found");
        assertError(api.get("/api/calls/" + FIRST + "?x=1"), 400, "unknown_parameter");
        HttpResponse<byte[]> post = api.send("POST", "/api/calls");
        assertError(post, 405, "method_not_allowed");
        assertEquals("GET, HEAD", header(post, "allow"));
        HttpResponse<byte[]> put = api.send("PUT", "/api/calls/" + FIRST);
        assertError(put, 405, "method_not_allowed");
        assertEquals("GET, HEAD, DELETE", header(put, "allow"));
        assertEquals("GET, HEAD", header(api.send("DELETE", "/health"), "allow"));
    }

    @Test
    void healthAndMetricsKeepTheirPlainText() throws Exception {
        HttpResponse<byte[]> health = api.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("text/plain", header(health, "content-type"));
        assertEquals("ok\n", new String(health.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> metrics = api.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", header(metrics, "content-type"));
        assertEquals(ApiFixture.METRICS, new String(metrics.body(), StandardCharsets.UTF_8));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndGarbageGets400() throws Exception {
        String two = api.raw("GET /api/calls/" + FIRST + "/transcript.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        int first = two.indexOf("Caller: Hello");
        int second = two.indexOf("ok\n");
        assertTrue(two.startsWith("HTTP/1.1 200 OK"), two);
        assertTrue(first > 0 && second > first, two);
        String garbage = api.raw("GARBAGE\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 Bad Request"), garbage);
        assertTrue(garbage.contains("{\"error\":{\"code\":\"bad_request\",\"message\":\"malformed HTTP request\"}}"),
                garbage);
        assertEquals(200, api.get("/health").statusCode(), "the server keeps serving");
    }

    // ---- helpers ----

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<byte[]> r, int status, String code) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        assertEquals("application/json", header(r, "content-type"), body);
        JsonNode error = JSON.readTree(body).get("error");
        assertEquals(code, error.get("code").asText(), body);
        assertFalse(error.get("message").asText().isBlank(), body);
    }

    private static void assertRange(HttpResponse<byte[]> r, byte[] whole, int first, int last) {
        assertEquals(206, r.statusCode());
        assertEquals("bytes " + first + "-" + last + "/" + whole.length, header(r, "content-range"));
        assertEquals(String.valueOf(last - first + 1), header(r, "content-length"));
        assertArrayEquals(Arrays.copyOfRange(whole, first, last + 1), r.body());
    }

    private static List<String> ids(JsonNode page) {
        return java.util.stream.StreamSupport.stream(page.get("calls").spliterator(), false)
                .map(c -> c.get("id").asText()).toList();
    }
}
