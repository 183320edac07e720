package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.testkit.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Viewer and admin tokens over real sockets: what each may do, what {@code /api/me} tells the page. */
class RolesTest {

    static final String ADMIN = "admin-Token_0123456789-abcdef";
    static final String VIEWER = "viewer-Token_0123456789-abcdef";
    static final String API_TOKEN = "api-Token_0123456789-abcdef";

    /** The routes only an admin may use: method, path. */
    static final List<List<String>> ADMIN_ROUTES = List.of(
            List.of("DELETE", "/api/calls/" + ApiFixture.SECOND),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/pause-recording"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/resume-recording"),
            List.of("GET", "/api/calls/active"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/say"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/instructions"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/hangup"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/transfer"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/listen-ticket"),
            List.of("GET", "/api/calls/" + ApiFixture.FIRST + "/listen"),
            List.of("PUT", "/api/calls/" + ApiFixture.FIRST + "/hold"),
            List.of("DELETE", "/api/calls/" + ApiFixture.FIRST + "/hold"),
            List.of("POST", "/api/calls/" + ApiFixture.FIRST + "/share"),
            List.of("DELETE", "/api/shares/abc123"),
            List.of("GET", "/api/audit"));

    /** Reads every viewer may do. */
    static final List<String> VIEWER_READS = List.of("/api/calls", "/api/calls/" + ApiFixture.FIRST,
            "/api/calls/" + ApiFixture.FIRST + "/audio.wav",
            "/api/calls/" + ApiFixture.FIRST + "/audio.wav?channel=caller",
            "/api/calls/" + ApiFixture.FIRST + "/captions.vtt", "/api/calls/" + ApiFixture.FIRST + "/captions.srt",
            "/api/calls/" + ApiFixture.FIRST + "/transcript.txt", "/api/calls/" + ApiFixture.FIRST + "/hold",
            "/api/stats", "/metrics");

    @TempDir
    Path base;

    static AccessPolicy policy() {
        return AccessPolicy.of(List.of(AccessPolicy.Grant.of(AccessPolicy.API_TOKEN_NAME, API_TOKEN, ApiRole.ADMIN),
                AccessPolicy.Grant.of("alice", ADMIN, ApiRole.ADMIN),
                AccessPolicy.Grant.of("victor", VIEWER, ApiRole.VIEWER)));
    }

    @Test
    void aViewerReadsButEveryAdminRouteAnswers403() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, policy(), ADMIN); LogCapture log = LogCapture.of("")) {
            for (String path : VIEWER_READS) {
                assertEquals(200, api.sendAs(VIEWER, "GET", path).statusCode(), path);
            }
            for (List<String> route : ADMIN_ROUTES) {
                HttpResponse<byte[]> refused = api.sendAs(VIEWER, route.get(0), route.get(1));
                assertError(refused, 403, "admin_only");
                assertEquals("this needs an admin token; 'victor' is a viewer",
                        json(refused).path("error").path("message").asText(), route.toString());
                HttpResponse<byte[]> admitted = api.sendAs(ADMIN, route.get(0), route.get(1));
                assertNotEquals(403, admitted.statusCode(), route + " as admin");
                assertNotEquals(401, admitted.statusCode(), route + " as admin");
            }
            assertEquals(404, api.sendAs(VIEWER, "GET", "/api/calls/" + ApiFixture.SECOND).statusCode(),
                    "the admin's delete went through");
            assertFalse(log.lines().stream().anyMatch(l -> l.message().contains(VIEWER) || l.message().contains(ADMIN)
                    || l.message().contains(API_TOKEN)), "no token is logged");
        }
    }

    @Test
    void theApiTokenIsAnAdminNamedApiToken() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, policy(), API_TOKEN)) {
            JsonNode me = json(api.get("/api/me"));
            assertEquals("api-token", me.path("name").asText());
            assertEquals("admin", me.path("role").asText());
            assertTrue(me.path("admin").asBoolean());
            assertEquals(204, api.send("DELETE", "/api/calls/" + ApiFixture.SECOND).statusCode());
        }
    }

    @Test
    void meTellsThePageItsRoleAndWrongTokensStay401() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, policy(), ADMIN)) {
            HttpResponse<byte[]> viewer = api.sendAs(VIEWER, "GET", "/api/me");
            assertEquals(200, viewer.statusCode());
            assertEquals("no-store", CallsApiTest.header(viewer, "cache-control"));
            JsonNode me = json(viewer);
            assertEquals("victor", me.path("name").asText());
            assertEquals("viewer", me.path("role").asText());
            assertFalse(me.path("admin").asBoolean());
            assertEquals("alice", json(api.get("/api/me")).path("name").asText());
            assertError(api.sendAs(VIEWER + "x", "GET", "/api/me"), 401, "unauthorized");
            assertError(api.sendAs("", "GET", "/api/me"), 401, "unauthorized");
            assertError(api.sendAs(VIEWER, "GET", "/api/me?x=1"), 400, "unknown_parameter");
        }
    }

    @Test
    void withoutTokensALoopbackClientIsAnAdmin() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, "")) {
            JsonNode me = json(api.get("/api/me"));
            assertEquals("loopback", me.path("name").asText());
            assertEquals("admin", me.path("role").asText());
        }
    }

    @Test
    void thePolicyDescribesNamesAndRolesNeverTokens() {
        AccessPolicy policy = policy();
        String text = policy.describe() + policy + AccessPolicy.Grant.of("x", VIEWER, ApiRole.VIEWER);
        assertEquals("/api and /metrics require Authorization: Bearer (tokens: api-token admin, alice admin,"
                + " victor viewer)", policy.describe());
        assertFalse(text.contains(VIEWER) || text.contains(ADMIN) || text.contains(API_TOKEN), text);
        AccessPolicy.Verdict v = policy.decide(null, "Bearer " + VIEWER);
        assertEquals(AccessPolicy.Decision.TOKEN, v.decision());
        assertEquals(Principal.token("victor", ApiRole.VIEWER), v.principal());
        assertEquals(AccessPolicy.Decision.WRONG_TOKEN, policy.decide(null, "Bearer " + VIEWER + "y").decision());
        assertEquals(AccessPolicy.Decision.MISSING_TOKEN, policy.decide(null, "Basic " + VIEWER).decision());
    }
}
