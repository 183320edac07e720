package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/shares}: an admin sees the links that still open a call, never a token. */
class ShareListTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path base;

    @Test
    void theActiveLinksWithCallCreatorAndExpiry() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN)) {
            api.now.set(T0);
            JsonNode hour = json(api.jsonAs(RolesTest.ADMIN, "POST", "/api/calls/" + ApiFixture.FIRST + "/share",
                    "{\"expires_in\":3600}"));
            api.now.set(T0.plusSeconds(60));
            JsonNode day = json(api.jsonAs(RolesTest.API_TOKEN, "POST", "/api/calls/" + ApiFixture.SECOND
                    + "/share", "{\"expires_in\":86400}"));
            JsonNode revoked = json(api.jsonAs(RolesTest.ADMIN, "POST", "/api/calls/" + ApiFixture.SECOND
                    + "/share", "{\"expires_in\":86400}"));
            assertEquals(204, api.send("DELETE", "/api/shares/" + revoked.path("id").asText()).statusCode());

            String listed = json(api.get("/api/shares")).toString();
            assertEquals("{\"shares\":[{\"id\":\"" + hour.path("id").asText() + "\",\"call\":\"" + ApiFixture.FIRST
                    + "\",\"by\":\"alice\",\"created_at\":\"2026-12-01T10:00:00Z\",\"expires_at\":"
                    + "\"2026-12-01T11:00:00Z\"},{\"id\":\"" + day.path("id").asText() + "\",\"call\":\""
                    + ApiFixture.SECOND + "\",\"by\":\"api-token\",\"created_at\":\"2026-12-01T10:01:00Z\","
                    + "\"expires_at\":\"2026-12-02T10:01:00Z\"}]}", listed);
            assertFalse(listed.contains(hour.path("token").asText()));

            api.now.set(T0.plusSeconds(3600));
            assertEquals(1, json(api.get("/api/shares")).path("shares").size(), "the hour's link has expired");
            assertError(api.sendAs(RolesTest.VIEWER, "GET", "/api/shares"), 403, "admin_only");
            assertError(api.get("/api/shares?all=true"), 400, "unknown_parameter");
        }
    }
}
