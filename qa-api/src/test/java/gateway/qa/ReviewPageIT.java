package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallReview;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review panel in headless Chromium, as a viewer: the scorecard filled in and saved, still there after a
 * reload; a note added at the playhead shows as a mark at its place under the waveform, and clicking the mark seeks
 * there; the list shows the reviewed badge and filters on it.
 */
class ReviewPageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = Path.of("target", "browser");
    private static final String CALL_READY = "document.querySelector('#player')?.readyState === 4"
            + " && document.querySelector('#call-view')?.hidden === false"
            + " && document.querySelectorAll('#criteria fieldset').length === 3";

    @TempDir
    Path base;

    @Test
    void aViewerScoresTheCallAndPinsANoteToAMoment() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, RolesTest.policy(), RolesTest.ADMIN, ReviewApiTest.FORM);
             Chromium chromium = Chromium.launch(ARTIFACTS)) {
            Page page = chromium.newPage();
            page.navigate(api.uri("/#/calls/" + ApiFixture.FIRST).toString(), TIMEOUT);
            page.waitFor("!document.querySelector('#auth-view').hidden", TIMEOUT);
            page.type("#token", RolesTest.VIEWER);
            page.click("#auth-form button[type=submit]");
            page.waitFor(CALL_READY, TIMEOUT);
            assertEquals("Support calls", page.evaluate("document.querySelector('#scorecard-title').textContent")
                    .asText());
            assertEquals("Not reviewed yet.", page.evaluate("document.querySelector('#reviews').textContent")
                    .asText());

            page.click("input[name=answer-greeting][value=true]");
            page.click("input[name=answer-resolution][value=false]");
            page.click("input[name=answer-tone][value='4']");
            page.type("input[name=comment-resolution]", "no refund offered");
            page.type("#scorecard textarea[name=overall]", "polite but unhelpful");
            page.click("#scorecard button[type=submit]");
            page.waitFor("document.querySelector('#review-result').textContent === 'Saved: score 43.8'", TIMEOUT);
            CallReview stored = CallReview.read(Files.readAllBytes(
                    api.recordings.resolve(ApiFixture.FIRST).resolve("review.json")));
            assertEquals("victor", stored.reviews().get(0).reviewer());
            assertEquals(43.8, stored.reviews().get(0).score());
            assertEquals("no refund offered", stored.reviews().get(0).answers().get(1).comment());

            // Reloaded: away and back, each waiting for its load event (the tab keeps the token).
            page.navigate("about:blank", TIMEOUT);
            page.navigate(api.uri("/#/calls/" + ApiFixture.FIRST).toString(), TIMEOUT);
            page.waitFor(CALL_READY, TIMEOUT);
            page.waitFor("document.querySelector('#reviews').textContent", v -> v.asText().startsWith("victor: 43.8"),
                    TIMEOUT);
            assertEquals("true,false,4", page.evaluate("['greeting', 'resolution', 'tone'].map(c =>"
                    + " document.querySelector(`input[name=answer-${c}]:checked`).value).join()").asText());
            assertEquals("no refund offered", page.evaluate(
                    "document.querySelector('input[name=comment-resolution]').value").asText());
            assertEquals("polite but unhelpful", page.evaluate(
                    "document.querySelector('#scorecard textarea[name=overall]').value").asText());

            page.evaluate("document.querySelector('#player').currentTime = 0.6");
            page.waitFor("Math.round(document.querySelector('#player').currentTime * 1000) === 600", TIMEOUT);
            page.type("#note-form input[name=text]", "the agent talks over the caller");
            page.click("#note-form button[type=submit]");
            page.waitFor("document.querySelectorAll('#note-marks .note-mark').length === 1", TIMEOUT);
            assertEquals("0:00.6 the agent talks over the caller (victor) Delete", page.evaluate(
                    "document.querySelector('.notes .note').textContent").asText());
            assertEquals("60%", page.evaluate("document.querySelector('.note-mark').style.left").asText());
            double offset = page.evaluate("(() => { const c = document.querySelector('#waveform')"
                    + ".getBoundingClientRect(); const m = document.querySelector('.note-mark')"
                    + ".getBoundingClientRect(); return m.left + m.width / 2 - (c.left + 0.6 * c.width); })()")
                    .asDouble();
            assertTrue(Math.abs(offset) <= 2, "the mark sits 600 ms into the waveform: off by " + offset + " px");
            assertEquals(600, CallReview.read(Files.readAllBytes(api.recordings.resolve(ApiFixture.FIRST)
                    .resolve("review.json"))).notes().get(0).atMs());

            page.evaluate("document.querySelector('#player').currentTime = 0");
            page.waitFor("document.querySelector('#player').currentTime === 0", TIMEOUT);
            page.click(".note-mark");
            page.waitFor("Math.round(document.querySelector('#player').currentTime * 1000) === 600", TIMEOUT);
            page.screenshot(ARTIFACTS.resolve("qa-page-review.png"));

            page.evaluate("location.hash = '#/'");
            page.waitFor("[...document.querySelectorAll('#calls tbody tr')].map(r =>"
                    + " r.querySelector('.badge.reviewed')?.textContent ?? '-').join()",
                    v -> v.asText().equals("-,Reviewed 43.8"), TIMEOUT);
            page.evaluate("location.hash = '#/?reviewed=true'");
            page.waitFor("[...document.querySelectorAll('#calls tbody tr')].map(r => r.dataset.callId).join()",
                    v -> v.asText().equals(ApiFixture.FIRST), TIMEOUT);
            assertEquals("true", page.evaluate("document.querySelector('#filters select[name=reviewed]').value")
                    .asText());
            page.screenshot(ARTIFACTS.resolve("qa-page-reviewed-list.png"));
            assertFalse(page.problems().stream().anyMatch(p -> p.startsWith("exception")), page.problems()
                    .toString());
        }
    }
}
