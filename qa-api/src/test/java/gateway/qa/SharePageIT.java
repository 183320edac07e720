package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and share links in headless Chromium, on a listener with a viewer and an admin token: a share link opens its
 * call's page without a token (metadata, transcript, audio) and keeps the token out of every request; a viewer sees
 * no admin buttons; an admin sees them and places a legal hold from the page.
 */
class SharePageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = Path.of("target", "browser");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALL_READY = "document.querySelector('#player').readyState === 4"
            + " && !document.querySelector('#call-view').hidden";

    @TempDir
    Path base;

    /** A new page on the fixture's first call, signed in with {@code token} through the page's form. */
    private static Page signIn(Chromium chromium, ApiFixture api, String token) throws InterruptedException {
        Page page = chromium.newPage();
        page.navigate(api.uri("/#/calls/" + ApiFixture.FIRST).toString(), TIMEOUT);
        page.waitFor("!document.querySelector('#auth-view').hidden", TIMEOUT);
        page.type("#token", token);
        page.click("#auth-form button[type=submit]");
        page.waitFor(CALL_READY, TIMEOUT);
        return page;
    }

    @Test
    void aShareLinkOpensItsCallWithoutATokenAndOnlyAdminsSeeAdminButtons() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN);
             Chromium chromium = Chromium.launch(ARTIFACTS)) {
            HttpResponse<byte[]> made = api.client.send(HttpRequest.newBuilder(api.uri("/api/calls/"
                            + ApiFixture.FIRST + "/share")).header("Authorization", "Bearer " + RolesTest.ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"expires_in\":600}")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(201, made.statusCode());
            JsonNode link = JSON.readTree(made.body());
            String token = link.path("token").asText();

            Page shared = chromium.newPage();
            shared.navigate(api.uri(link.path("url").asText()).toString(), TIMEOUT);
            shared.waitFor(CALL_READY, TIMEOUT);
            assertEquals("#/calls/" + ApiFixture.FIRST, shared.evaluate("location.hash").asText());
            assertTrue(shared.evaluate("document.querySelector('#auth-view').hidden").asBoolean());
            assertEquals("sip:+15550001111@198.51.100.7 → sip:agent@gw.example.com",
                    shared.evaluate("document.querySelector('#call-title').textContent").asText());
            assertEquals(List.of("Hello, I need a refund.", "Sure, let me check."), JSON.convertValue(
                    shared.evaluate("[...document.querySelectorAll('#transcript .turn .text')].map(t =>"
                            + " t.textContent)"), JSON.getTypeFactory().constructCollectionType(List.class,
                            String.class)));
            assertTrue(shared.evaluate("document.querySelector('#call-admin').hidden").asBoolean());
            assertEquals(0, shared.evaluate("[...document.querySelectorAll('#call-admin button')].filter(b =>"
                    + " b.offsetParent !== null).length").asInt(), "a share link shows no admin button");
            assertTrue(shared.evaluate("document.querySelector('#back').hidden").asBoolean());
            assertEquals("share", shared.evaluate("document.body.dataset.role").asText());
            assertFalse(shared.requestUrls().stream().anyMatch(u -> u.contains(token) || u.contains("/api/calls?")),
                    shared.requestUrls().toString());
            shared.screenshot(ARTIFACTS.resolve("qa-page-share-link.png"));

            Page viewer = signIn(chromium, api, RolesTest.VIEWER);
            viewer.waitFor("document.body.dataset.role === 'viewer'", TIMEOUT);
            assertTrue(viewer.evaluate("document.querySelector('#call-admin').hidden").asBoolean());
            assertEquals(0, viewer.evaluate("[...document.querySelectorAll('#delete-call')].filter(b =>"
                    + " b.offsetParent !== null).length").asInt(), "the viewer sees no delete button");
            assertTrue(viewer.evaluate("document.querySelector('#call-hold').hidden").asBoolean());

            Page admin = signIn(chromium, api, RolesTest.ADMIN);
            admin.waitFor("!document.querySelector('#call-admin').hidden", TIMEOUT);
            assertEquals(1, admin.evaluate("[...document.querySelectorAll('#delete-call')].filter(b =>"
                    + " b.offsetParent !== null).length").asInt(), "the admin sees the delete button");
            admin.click("#hold-call");
            admin.waitFor("!document.querySelector('#call-hold').hidden", TIMEOUT);
            assertTrue(admin.evaluate("document.querySelector('#call-hold').textContent").asText()
                    .contains("(by alice)"));
            assertEquals("Lift legal hold", admin.evaluate("document.querySelector('#hold-call').textContent")
                    .asText());
            assertTrue(api.library.held(ApiFixture.FIRST));
            admin.screenshot(ARTIFACTS.resolve("qa-page-admin-hold.png"));
            admin.evaluate("location.hash = '#/'");
            admin.waitFor("[...document.querySelectorAll('#calls tbody tr')].map(r =>"
                    + " r.querySelector('.legal-hold') !== null).join()", v -> v.asText().equals("false,true"),
                    TIMEOUT);
            for (Page page : List.of(shared, viewer, admin)) {
                assertFalse(page.problems().stream().anyMatch(p -> p.startsWith("exception")), page.problems()
                        .toString());
            }
        }
    }
}
