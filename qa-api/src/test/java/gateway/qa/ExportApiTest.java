package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/export}: the archive unzipped in the test, byte for byte, its CSV row by row, its bounds. */
class ExportApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path base;

    private ApiFixture start() throws Exception {
        ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN, ReviewApiTest.FORM);
        api.now.set(T0);
        return api;
    }

    @Test
    void theArchiveHoldsEveryFileOfTheMatchingCallsTheCsvAndTheManifest() throws Exception {
        try (ApiFixture api = start()) {
            String review = "{\"answers\":[{\"criterion\":\"greeting\",\"value\":true},{\"criterion\":"
                    + "\"resolution\",\"value\":true,\"comment\":\"refunded\"},{\"criterion\":\"tone\",\"value\":3}]}";
            assertEquals(200, api.jsonAs(RolesTest.VIEWER, "PUT", "/api/calls/" + ApiFixture.FIRST + "/review",
                    review).statusCode());
            HttpResponse<byte[]> r = api.get("/api/export");
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("application/zip", header(r, "content-type"));
            assertEquals("attachment; filename=\"calls-20261201T100000Z.zip\"", header(r, "content-disposition"));
            assertEquals("chunked", header(r, "transfer-encoding"));
            Map<String, byte[]> files = unzip(r.body());
            Path first = api.recordings.resolve(ApiFixture.FIRST);
            Path second = api.recordings.resolve(ApiFixture.SECOND);
            assertEquals(List.of(
                    ApiFixture.SECOND + "/audio.wav", ApiFixture.SECOND + "/call.json",
                    ApiFixture.SECOND + "/captions.vtt", ApiFixture.SECOND + "/captions.srt",
                    ApiFixture.FIRST + "/audio.wav", ApiFixture.FIRST + "/call.json",
                    ApiFixture.FIRST + "/captions.vtt", ApiFixture.FIRST + "/captions.srt",
                    ApiFixture.FIRST + "/review.json", "analytics.csv", "manifest.json"), List.copyOf(files.keySet()));
            for (String name : List.of("audio.wav", "call.json", "captions.vtt", "review.json")) {
                assertArrayEquals(Files.readAllBytes(first.resolve(name)), files.get(ApiFixture.FIRST + "/" + name),
                        name);
            }
            assertArrayEquals(Files.readAllBytes(second.resolve("audio.wav")),
                    files.get(ApiFixture.SECOND + "/audio.wav"));
            assertEquals(44 + ApiFixture.FIRST_FRAMES * 4, files.get(ApiFixture.FIRST + "/audio.wav").length);

            String[] csv = new String(files.get("analytics.csv"), StandardCharsets.UTF_8).split("\r\n");
            assertEquals(3, csv.length);
            assertEquals(ExportApi.CSV_HEADER.strip(), csv[0]);
            assertEquals(ApiFixture.SECOND + ",2026-11-30T19:00:00.000Z,500,,realtime_lost,0,0,0,0,500,1,0,0,500,"
                    + "500,0.500,500,0,", csv[1]);
            JsonNode listed = MAPPER.readTree(api.get("/api/calls").body()).path("calls").get(1);
            JsonNode a = listed.path("analytics");
            String[] cells = csv[2].split(",", -1);
            assertEquals(19, cells.length);
            assertEquals(List.of(ApiFixture.FIRST, "2026-11-30T18:01:02.345Z", listed.path("duration_ms").asText(),
                    "", "caller_bye"), List.of(cells).subList(0, 5));
            assertEquals(a.path("latency_p95_ms").asText(), cells[7]);
            assertEquals(a.path("talk_over_count").asText(), cells[10]);
            assertEquals(a.path("longest_dead_air_ms").asText(), cells[12]);
            assertEquals(List.of("1", "87.5"), List.of(cells).subList(17, 19));

            JsonNode manifest = MAPPER.readTree(files.get("manifest.json"));
            assertEquals(2, manifest.path("count").asInt());
            assertEquals("alice", manifest.path("exported_by").asText());
            assertEquals(ApiFixture.FIRST, manifest.path("calls").get(1).path("id").asText());
            assertEquals(Files.size(first.resolve("audio.wav")),
                    manifest.path("calls").get(1).path("files").get(0).path("bytes").asLong());

            List<String> audit = QaRecordsTest.lines(api, 2).stream().map(QaRecordsTest::summary).toList();
            assertTrue(audit.contains("alice export - 2 calls; "), audit.toString());
        }
    }

    @Test
    void theListsFiltersChooseTheCalls() throws Exception {
        try (ApiFixture api = start()) {
            HttpResponse<byte[]> r = api.get("/api/export?end_reason=caller_bye");
            assertEquals(200, r.statusCode());
            Map<String, byte[]> files = unzip(r.body());
            assertEquals(List.of(ApiFixture.FIRST + "/audio.wav", ApiFixture.FIRST + "/call.json",
                    ApiFixture.FIRST + "/captions.vtt", ApiFixture.FIRST + "/captions.srt", "analytics.csv",
                    "manifest.json"), List.copyOf(files.keySet()));
            assertEquals(0, MAPPER.readTree(unzip(api.get("/api/export?reviewed=true").body())
                    .get("manifest.json")).path("count").asInt());
            assertError(api.get("/api/export?limit=5"), 400, "unknown_parameter");
            assertError(api.get("/api/export?cursor=x"), 400, "unknown_parameter");
            assertError(api.get("/api/export?since=yesterday"), 400, "invalid_parameter");
            assertError(api.sendAs(RolesTest.VIEWER, "GET", "/api/export"), 403, "admin_only");
            assertError(api.send("POST", "/api/export"), 405, "method_not_allowed");
        }
    }

    @Test
    void moreCallsThanOneExportHoldsIsA400() throws Exception {
        try (ApiFixture api = start()) {
            byte[] callJson = Files.readAllBytes(api.recordings.resolve(ApiFixture.SECOND).resolve("call.json"));
            String text = new String(callJson, StandardCharsets.UTF_8);
            for (int i = 0; i < ExportApi.MAX_CALLS; i++) {
                String id = String.format("20261130T190000Z-copy%04d", i);
                Path dir = Files.createDirectories(api.recordings.resolve(id));
                Files.writeString(dir.resolve("call.json"), text.replace(ApiFixture.SECOND, id));
                api.library.callFinished(id);
            }
            Await.until(() -> api.library.size() == ExportApi.MAX_CALLS + 2, Duration.ofSeconds(30),
                    () -> "indexed " + api.library.size());
            HttpResponse<byte[]> r = api.get("/api/export");
            assertError(r, 400, "too_many_calls");
            assertEquals("the filters match more than 1000 calls, the most one export holds; narrow them (since,"
                    + " until, …)", MAPPER.readTree(r.body()).path("error").path("message").asText());
            HttpResponse<byte[]> narrowed = api.get("/api/export?end_reason=caller_bye");
            assertEquals(200, narrowed.statusCode());
        }
    }

    @Test
    void aClientThatStopsReadingHoldsTheExportBackAndThenGetsAllOfIt() throws Exception {
        try (ApiFixture api = start()) {
            // Eight calls of 3 MB each: far more than the socket buffers between the export and a stalled client.
            byte[] audio = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(audio);
            String text = Files.readString(api.recordings.resolve(ApiFixture.SECOND).resolve("call.json"));
            for (int i = 0; i < 8; i++) {
                String id = String.format("20261130T190000Z-big%04d", i);
                Path dir = Files.createDirectories(api.recordings.resolve(id));
                Files.write(dir.resolve("audio.wav"), audio);
                Files.writeString(dir.resolve("call.json"), text.replace(ApiFixture.SECOND, id));
                api.library.callFinished(id);
            }
            Await.until(() -> api.library.size() == 10, Duration.ofSeconds(30), () -> "indexed " + api.library.size());
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        api.server.port()));
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(("GET /api/export?to=sales HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + RolesTest.ADMIN + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                byte[] first = in.readNBytes(1024);
                assertEquals(1024, first.length);
                Await.until(ExportApiTest::exportWaitsForTheClient, Duration.ofSeconds(30),
                        () -> "the export thread never waited for the client");
                byte[] rest = in.readAllBytes();
                byte[] response = new byte[first.length + rest.length];
                System.arraycopy(first, 0, response, 0, first.length);
                System.arraycopy(rest, 0, response, first.length, rest.length);
                Map<String, byte[]> files = unzip(dechunk(response));
                assertEquals(8 * 2 + 4 + 2, files.size(), files.keySet().toString());
                assertArrayEquals(audio, files.get("20261130T190000Z-big0003/audio.wav"));
            }
        }
    }

    /** Whether the thread writing the archive is parked until the client takes the chunk in flight. */
    private static boolean exportWaitsForTheClient() {
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            if (t.getKey().getName().equals("http-export")
                    && t.getKey().getState() == Thread.State.TIMED_WAITING
                    && Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName()
                            .equals(ChunkedBody.class.getName()))) {
                return true;
            }
        }
        return false;
    }

    /** The body of a chunked HTTP/1.1 response (RFC 9112 §7.1), its head and chunk framing removed. */
    private static byte[] dechunk(byte[] response) {
        int at = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0) + 4;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int eol = indexOf(response, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            int size = Integer.parseInt(new String(response, at, eol - at, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(response, eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found after " + from);
    }

    /** The archive's entries in order, each read whole. */
    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }
}
