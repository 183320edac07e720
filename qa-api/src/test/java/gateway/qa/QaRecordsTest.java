package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallId;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log, legal hold and share links over real sockets: each action's line, the listen window, hold against
 * delete, and share links' scope, expiry (on the fixture's clock) and revocation.
 */
class QaRecordsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String FIRST = "/api/calls/" + ApiFixture.FIRST;

    @TempDir
    Path base;

    private static ApiFixture start(Path base) throws Exception {
        ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN);
        api.now.set(T0);
        return api;
    }

    /** Every line of the audit files, waiting until there are at least {@code count}. */
    static List<JsonNode> lines(ApiFixture api, int count) throws Exception {
        Path dir = api.recordings.resolve(".audit");
        List<JsonNode> lines = new ArrayList<>();
        Await.until(() -> {
            lines.clear();
            try {
                if (Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                        for (Path file : files.sorted().toList()) {
                            for (String line : Files.readAllLines(file)) {
                                lines.add(MAPPER.readTree(line));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return lines.size() >= count;
        }, Duration.ofSeconds(10), lines::toString);
        return lines;
    }

    /** The audit lines' summaries, waiting until {@code expected} are among them (a read's line comes after it). */
    static List<String> summariesIncluding(ApiFixture api, String... expected) throws Exception {
        List<String> seen = new ArrayList<>();
        Await.until(() -> {
            try {
                seen.clear();
                lines(api, 0).forEach(line -> seen.add(summary(line)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return seen.containsAll(List.of(expected));
        }, Duration.ofSeconds(10), seen::toString);
        return seen;
    }

    static String summary(JsonNode line) {
        return line.path("actor").asText() + " " + line.path("action").asText() + " "
                + line.path("call").asText("-") + (line.has("detail") ? " " + line.path("detail").asText() : "");
    }

    private static HttpResponse<byte[]> body(ApiFixture api, String bearer, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).method(method,
                HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).header("Content-Type",
                "application/json");
        if (!bearer.isEmpty()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return api.client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void eachActionIsOneLineAndRangedListeningIsOneListenPerWindow() throws Exception {
        try (ApiFixture api = start(base)) {
            assertEquals(200, api.sendAs(RolesTest.VIEWER, "GET", "/api/calls?end_reason=caller_bye").statusCode());
            for (int i = 0; i < 5; i++) {
                assertEquals(206, api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/audio.wav", "Range",
                        "bytes=" + (i * 100) + "-" + (i * 100 + 99)).statusCode());
            }
            assertEquals(200, api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/audio.wav?channel=caller").statusCode());
            assertEquals(200, api.sendAs(RolesTest.VIEWER, "GET", FIRST).statusCode());
            assertEquals(200, api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/captions.vtt").statusCode());
            assertEquals(200, api.get(FIRST + "/audio.wav").statusCode());
            api.now.set(T0.plus(AuditLog.REPEAT_WINDOW));
            assertEquals(200, api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/audio.wav").statusCode());
            assertEquals(200, body(api, RolesTest.ADMIN, "PUT", FIRST + "/hold", "{\"reason\":\"case 7\"}")
                    .statusCode());
            assertEquals(200, api.send("DELETE", FIRST + "/hold").statusCode());
            assertEquals(204, api.send("DELETE", "/api/calls/" + ApiFixture.SECOND).statusCode());

            List<JsonNode> lines = lines(api, 9);
            assertEquals(List.of(
                    "victor list - end_reason=caller_bye",
                    "victor listen " + ApiFixture.FIRST + " audio.wav",
                    "victor view " + ApiFixture.FIRST + " call.json",
                    "victor download " + ApiFixture.FIRST + " captions.vtt",
                    "alice listen " + ApiFixture.FIRST + " audio.wav",
                    "victor listen " + ApiFixture.FIRST + " audio.wav",
                    "alice legal_hold_on " + ApiFixture.FIRST + " case 7",
                    "alice legal_hold_off " + ApiFixture.FIRST,
                    "alice delete " + ApiFixture.SECOND + " deleted"), lines.stream().map(QaRecordsTest::summary)
                    .toList());
            assertEquals(T0.toString(), lines.get(0).path("at").asText());
            assertEquals(T0.plus(AuditLog.REPEAT_WINDOW).toString(), lines.get(5).path("at").asText());
            assertTrue(lines.get(0).path("client").asText().startsWith("127.0.0.1:"), lines.get(0).toString());
            assertTrue(Files.exists(api.recordings.resolve(".audit").resolve("audit-2026-12-01.jsonl")));
        }
    }

    @Test
    void anAdminQueriesTheAuditByCallActorAndTimeWithPaging() throws Exception {
        try (ApiFixture api = start(base)) {
            api.sendAs(RolesTest.VIEWER, "GET", FIRST);
            api.now.set(T0.plusSeconds(60));
            api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/audio.wav");
            api.get("/api/calls/" + ApiFixture.SECOND + "/audio.wav");
            api.now.set(T0.plusSeconds(120));
            api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/captions.srt");
            lines(api, 4);

            JsonNode byCall = json(api.get("/api/audit?call=" + ApiFixture.FIRST + "&limit=2"));
            assertEquals(List.of("view", "listen"), actions(byCall));
            assertEquals(2, byCall.path("next_offset").asLong());
            JsonNode next = json(api.get("/api/audit?call=" + ApiFixture.FIRST + "&limit=2&offset=2"));
            assertEquals(List.of("download"), actions(next));
            assertTrue(next.path("next_offset").isNull());
            assertEquals(List.of("listen"), actions(json(api.get("/api/audit?actor=alice"))));
            assertEquals(List.of("listen", "listen"), actions(json(api.get(
                    "/api/audit?since=2026-12-01T10:01:00Z&until=2026-12-01T10:02:00Z"))));
            assertEquals(List.of("download"), actions(json(api.get("/api/audit?action=download"))));
            assertError(api.get("/api/audit?limit=0"), 400, "invalid_parameter");
            assertError(api.get("/api/audit?who=x"), 400, "unknown_parameter");
            assertError(api.sendAs(RolesTest.VIEWER, "GET", "/api/audit"), 403, "admin_only");
        }
    }

    private static List<String> actions(JsonNode page) {
        List<String> actions = new ArrayList<>();
        page.path("events").forEach(e -> actions.add(e.path("action").asText()));
        return actions;
    }

    @Test
    void aHeldCallCannotBeDeletedAndShowsItsHoldInListAndDetail() throws Exception {
        try (ApiFixture api = start(base)) {
            HttpResponse<byte[]> held = body(api, RolesTest.ADMIN, "PUT", FIRST + "/hold", "{\"reason\":\"case 7\"}");
            assertEquals(200, held.statusCode());
            JsonNode hold = json(held);
            assertTrue(hold.path("legal_hold").asBoolean());
            assertEquals("alice", hold.path("by").asText());
            assertEquals("case 7", hold.path("reason").asText());
            assertEquals("2026-12-01T10:00:00.000Z", hold.path("held_at").asText());
            assertTrue(Files.isRegularFile(api.recordings.resolve(ApiFixture.FIRST).resolve("legal-hold.json")));

            assertEquals(hold, json(api.sendAs(RolesTest.VIEWER, "GET", FIRST + "/hold")));
            JsonNode list = json(api.get("/api/calls"));
            assertEquals(List.of(false, true), List.of(list.path("calls").get(0).path("legal_hold").asBoolean(),
                    list.path("calls").get(1).path("legal_hold").asBoolean()));

            HttpResponse<byte[]> refused = api.send("DELETE", FIRST);
            assertError(refused, 409, "legal_hold");
            assertTrue(json(refused).path("error").path("message").asText().contains("under legal hold"));
            assertTrue(Files.isDirectory(api.recordings.resolve(ApiFixture.FIRST)));

            assertEquals(200, api.send("DELETE", FIRST + "/hold").statusCode());
            assertFalse(json(api.get(FIRST + "/hold")).path("legal_hold").asBoolean());
            assertEquals(204, api.send("DELETE", FIRST).statusCode());

            assertError(api.send("PUT", "/api/calls/20261130T000000Z-none0000/hold"), 404, "not_found");
            assertError(api.send("PUT", "/api/calls/" + ApiFixture.RUNNING + "/hold"), 409, "call_in_progress");
            assertError(body(api, RolesTest.ADMIN, "PUT", "/api/calls/" + ApiFixture.SECOND + "/hold",
                    "{\"reason\":7}"), 400, "invalid_body");
            assertError(api.send("POST", "/api/calls/" + ApiFixture.SECOND + "/hold"), 405, "method_not_allowed");
        }
    }

    @Test
    void aShareLinkReadsItsOneCallUntilItExpiresOrIsRevoked() throws Exception {
        try (ApiFixture api = start(base)) {
            HttpResponse<byte[]> made = body(api, RolesTest.ADMIN, "POST", FIRST + "/share", "{\"expires_in\":3600}");
            assertEquals(201, made.statusCode());
            JsonNode link = json(made);
            String token = link.path("token").asText();
            assertEquals("/#/share/" + token, link.path("url").asText());
            assertEquals("2026-12-01T11:00:00Z", link.path("expires_at").asText());

            for (String path : List.of(FIRST, FIRST + "/audio.wav", FIRST + "/captions.vtt", FIRST + "/transcript.txt",
                    FIRST + "/hold", "/api/me", "/", "/static/app.js")) {
                assertEquals(200, api.sendAs(token, "GET", path).statusCode(), path);
            }
            JsonNode me = json(api.sendAs(token, "GET", "/api/me"));
            assertEquals(ApiFixture.FIRST, me.path("share_call").asText());
            assertFalse(me.path("admin").asBoolean());
            for (String path : List.of("/api/calls", "/api/calls/" + ApiFixture.SECOND,
                    "/api/calls/" + ApiFixture.SECOND + "/audio.wav", "/metrics", "/api/audit")) {
                assertError(api.sendAs(token, "GET", path), 403, "admin_only");
            }
            assertError(api.sendAs(token, "DELETE", FIRST), 403, "admin_only");
            assertError(api.sendAs(token, "PUT", FIRST + "/hold"), 403, "admin_only");
            String forged = token.substring(0, token.lastIndexOf('~') + 1) + "AAAA";
            assertError(api.sendAs(forged, "GET", FIRST), 401, "share_link_invalid");
            String otherCall = token.replace(ApiFixture.FIRST, ApiFixture.SECOND);
            assertError(api.sendAs(otherCall, "GET", "/api/calls/" + ApiFixture.SECOND), 401, "share_link_invalid");

            api.now.set(T0.plusSeconds(3599));
            assertEquals(200, api.sendAs(token, "GET", FIRST).statusCode());
            api.now.set(T0.plusSeconds(3600));
            assertError(api.sendAs(token, "GET", FIRST), 401, "share_link_invalid");

            api.now.set(T0);
            String second = json(body(api, RolesTest.ADMIN, "POST", FIRST + "/share", "{\"expires_in\":600}"))
                    .path("token").asText();
            String secondId = second.split("~")[1];
            assertEquals(200, api.sendAs(second, "GET", FIRST).statusCode());
            assertError(api.sendAs(RolesTest.VIEWER, "DELETE", "/api/shares/" + secondId), 403, "admin_only");
            assertEquals(204, api.send("DELETE", "/api/shares/" + secondId).statusCode());
            assertError(api.sendAs(second, "GET", FIRST), 401, "share_link_invalid");
            assertError(api.send("DELETE", "/api/shares/nosuchshare"), 404, "not_found");

            List<String> ledger = Files.readAllLines(api.recordings.resolve(".shares").resolve("shares.jsonl"));
            assertEquals(3, ledger.size(), ledger.toString());
            assertTrue(ledger.get(2).contains("\"event\":\"revoked\""));
            assertFalse(String.join("\n", ledger).contains(token), "the ledger keeps no token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    api.recordings.resolve(".shares").resolve("share.key"))));
            String shareId = link.path("id").asText();
            summariesIncluding(api, "alice share_created " + ApiFixture.FIRST + " " + shareId
                    + " expires 2026-12-01T11:00:00Z", "alice share_revoked - " + secondId,
                    "share:" + shareId + " share_used " + ApiFixture.FIRST + " share:" + shareId);

            assertError(body(api, RolesTest.ADMIN, "POST", FIRST + "/share", "{\"expires_in\":5}"), 400,
                    "invalid_body");
            assertError(body(api, RolesTest.ADMIN, "POST", "/api/calls/20261130T000000Z-none0000/share",
                    "{\"expires_in\":600}"), 404, "not_found");
        }
    }

    @Test
    void linksAndRevocationsOutliveARestartAndAnotherKeyVoidsThem() throws Exception {
        Path dir = base.resolve(".shares");
        InstantSource clock = () -> T0;
        ShareLinks first = ShareLinks.open(dir, "", clock);
        String kept = first.create(new CallId(ApiFixture.FIRST), Duration.ofMinutes(10), "alice").token();
        ShareLinks.Created revoked = first.create(new CallId(ApiFixture.FIRST), Duration.ofMinutes(10), "alice");
        assertTrue(first.revoke(revoked.share().id(), "alice"));

        ShareLinks again = ShareLinks.open(dir, "", clock);
        assertEquals(ApiFixture.FIRST, again.verify(kept).orElseThrow().call());
        assertTrue(again.verify(revoked.token()).isEmpty());
        assertTrue(ShareLinks.open(dir, "another-configured-key-0123", clock).verify(kept).isEmpty());
        assertTrue(again.verify("s1~x~y~1~").isEmpty());
        assertTrue(again.verify("s1~~~~~").isEmpty());
        assertTrue(again.verify("s1").isEmpty());
    }
}
