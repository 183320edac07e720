package gateway.qa;

import static gateway.qa.CallsApiTest.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page's static route over real sockets: {@code /} and {@code /static/{name}} serve exactly the files of
 * {@code src/main/resources/web} with their media types, validators and security headers; anything else under
 * them is a 404 that leaks nothing; and with a token set the page needs none while the API still does.
 */
class WebRoutesTest {

    private static final Path SOURCES = Path.of("src", "main", "resources", "web");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String TOKEN = "web-Token_0123456789abcdef";
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern ENTITY_TAG = Pattern.compile("\"[0-9a-f]{24}\"");

    @TempDir
    static Path base;
    private static ApiFixture open;
    private static ApiFixture guarded;

    @BeforeAll
    static void start() throws Exception {
        open = ApiFixture.start(Files.createDirectories(base.resolve("open")), "");
        guarded = ApiFixture.start(Files.createDirectories(base.resolve("guarded")), TOKEN);
    }

    @AfterAll
    static void stop() {
        open.close();
        guarded.close();
    }

    @Test
    void theListedFilesAreExactlyThePageSources() throws Exception {
        try (Stream<Path> files = Files.list(SOURCES)) {
            Set<String> sources = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(sources, Set.copyOf(WebAssets.NAMES));
        }
    }

    @Test
    void everyFileIsServedAsItIsWithItsMediaType() throws Exception {
        for (String name : WebAssets.NAMES) {
            HttpResponse<byte[]> r = open.get("/static/" + name);
            assertEquals(200, r.statusCode(), name);
            assertEquals(TYPES.get(name.substring(name.lastIndexOf('.') + 1)), header(r, "content-type"), name);
            assertArrayEquals(Files.readAllBytes(SOURCES.resolve(name)), r.body(), name);
            assertEquals("nosniff", header(r, "x-content-type-options"), name);
        }
    }

    @Test
    void theRootIsThePageWithItsSecurityHeaders() throws Exception {
        HttpResponse<byte[]> r = open.get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", header(r, "content-type"));
        assertArrayEquals(Files.readAllBytes(SOURCES.resolve("index.html")), r.body());
        assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src blob:;"
                + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                header(r, "content-security-policy"));
        assertEquals("nosniff", header(r, "x-content-type-options"));
        assertEquals("DENY", header(r, "x-frame-options"));
        assertEquals("no-referrer", header(r, "referrer-policy"));
        assertEquals("no-cache", header(r, "cache-control"));
        assertTrue(ENTITY_TAG.matcher(header(r, "etag")).matches(), header(r, "etag"));
        assertTrue(r.headers().firstValue("last-modified").isPresent());
    }

    @Test
    void anUnchangedFileIsRevalidatedNotResent() throws Exception {
        HttpResponse<byte[]> first = open.get("/static/app.js");
        String etag = header(first, "etag");
        HttpResponse<byte[]> again = open.get("/static/app.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, header(again, "etag"));
        assertEquals(200, open.get("/static/app.js", "If-None-Match", "\"0123\"").statusCode());
        assertFalse(etag.equals(header(open.get("/static/call.js"), "etag")), "each file has its own tag");

        HttpResponse<byte[]> head = open.send("HEAD", "/");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(Files.size(SOURCES.resolve("index.html"))), header(head, "content-length"));
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        for (String path : List.of("/", "/static/app.js")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<byte[]> r = open.send(method, path);
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", header(r, "allow"));
            }
        }
    }

    static List<String> strangers() {
        return List.of(
                "/static/nope.js",
                "/static/",
                "/static",
                "/index.html",
                "/static/APP.JS",
                "/static/app.js/",
                "/static/app.js%00",
                "/static/./app.js",
                "/static//app.js",
                "/static/web/app.js",
                "/static/%2fapp.js",
                "/static/..%2fapp.js",
                "/static/..%2f..%2fsecret.txt",
                "/static/%2e%2e/%2e%2e/secret.txt",
                "/static/%252e%252e%252fsecret.txt",
                "/static/../../secret.txt",
                "/static/..%5c..%5csecret.txt",
                "/static/gateway/qa/HttpServer.class",
                "/static/..%2fgateway%2fqa%2fHttpServer.class",
                "/static/META-INF%2fMANIFEST.MF",
                "/static/%c0%ae%c0%ae/secret.txt");
    }

    @ParameterizedTest
    @MethodSource("strangers")
    void nothingElseIsServed(String target) throws Exception {
        String response = open.rawGet(target);
        int status = status(response);
        assertTrue(status == 404 || status == 400, target + " → " + response);
        assertTrue(response.contains("\"error\":{\"code\":\""), response);
        assertFalse(response.contains(ApiFixture.SECRET), target + " leaked: " + response);
    }

    @Test
    void withATokenThePageNeedsNoneButTheApiStillDoes() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String auth : List.of("", "Bearer wrong")) {
            for (String path : List.of("/", "/static/app.js")) {
                HttpRequest.Builder b = HttpRequest.newBuilder(guarded.uri(path));
                if (!auth.isEmpty()) {
                    b.header("Authorization", auth);
                }
                assertEquals(200, client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                        path + " with '" + auth + "'");
            }
        }
        assertEquals(401, client.send(HttpRequest.newBuilder(guarded.uri("/api/calls")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        for (String target : List.of("/static/../api/calls", "/static/..%2fapi%2fcalls", "/static/%2e%2e/api/calls",
                "/static/../api/calls/" + ApiFixture.FIRST + "/audio.wav")) {
            String response = guarded.raw("GET " + target
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertEquals(404, status(response), target + " → " + response);
            assertFalse(response.contains(ApiFixture.FIRST), target + " leaked: " + response);
        }
    }

    private static int status(String response) {
        Matcher m = STATUS.matcher(response);
        assertTrue(m.find(), response);
        return Integer.parseInt(m.group(1));
    }
}
