package gateway.testkit.browser;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One browser tab driven like a person would: it opens addresses, clicks at the centre of elements and types with
 * real input events, and reads the page's state with JavaScript. It records what the page reports as wrong
 * (uncaught exceptions, console errors, security and Content-Security-Policy violations) in {@link #problems()};
 * failed HTTP responses are not among them, since the page handles those itself. It also keeps the address of every
 * request the page made ({@link #requestUrls()}).
 */
public final class Page {

    private final DevTools devTools;
    private final String session;
    private final List<String> problems = new ArrayList<>();
    private final List<String> requestUrls = new ArrayList<>();

    private Page(DevTools devTools, String session) {
        this.devTools = devTools;
        this.session = session;
    }

    static Page open(DevTools devTools) throws InterruptedException {
        String target = devTools.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId").asText();
        String session = devTools.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        Page page = new Page(devTools, session);
        devTools.on(session, "Runtime.exceptionThrown", p -> page.problem("exception: "
                + p.path("exceptionDetails").path("exception").path("description").asText(
                        p.path("exceptionDetails").path("text").asText())));
        devTools.on(session, "Runtime.consoleAPICalled", p -> {
            if (p.path("type").asText().equals("error")) {
                page.problem("console.error: " + p.path("args"));
            }
        });
        devTools.on(session, "Log.entryAdded", p -> {
            JsonNode entry = p.path("entry");
            if (entry.path("level").asText().equals("error") && !entry.path("source").asText().equals("network")) {
                page.problem(entry.path("source").asText() + ": " + entry.path("text").asText());
            }
        });
        devTools.on(session, "Network.requestWillBeSent", p -> page.requested(p.path("request").path("url").asText()));
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            devTools.call(session, domain + ".enable", Map.of());
        }
        return page;
    }

    /** Opens {@code url} and returns once its load event has fired. */
    public void navigate(String url, Duration timeout) throws InterruptedException {
        CompletableFuture<JsonNode> loaded = devTools.next(session, "Page.loadEventFired", p -> true);
        JsonNode result = devTools.call(session, "Page.navigate", Map.of("url", url));
        if (result.hasNonNull("errorText")) {
            throw new AssertionError("opening " + url + " failed: " + result.get("errorText").asText());
        }
        await(loaded, timeout, "the load event of " + url);
    }

    /** The value of {@code expression} (awaited when it is a promise), as JSON; a thrown error fails the test. */
    public JsonNode evaluate(String expression) throws InterruptedException {
        JsonNode result = devTools.call(session, "Runtime.evaluate", Map.of("expression", expression,
                "awaitPromise", true, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new AssertionError(expression + " threw: " + details.path("exception").path("description")
                    .asText(details.path("text").asText()));
        }
        return result.path("result").path("value");
    }

    /** Returns the first truthy value of {@code expression}, evaluated until {@code timeout}. */
    public JsonNode waitFor(String expression, Duration timeout) throws InterruptedException {
        return waitFor(expression, Page::truthy, timeout);
    }

    /** Returns the first value of {@code expression} that passes {@code done}, evaluated until {@code timeout}. */
    public JsonNode waitFor(String expression, Predicate<JsonNode> done, Duration timeout)
            throws InterruptedException {
        return Await.until(() -> {
            try {
                return evaluate(expression);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, done, timeout, v -> expression + " is " + v + "; page problems: " + problems());
    }

    /** Clicks the middle of the first element matching {@code selector}, scrolled into view. */
    public void click(String selector) throws InterruptedException {
        JsonNode at = evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        if (at.isNull() || at.isMissingNode()) {
            throw new AssertionError("nothing to click: no " + selector);
        }
        double x = at.get("x").asDouble();
        double y = at.get("y").asDouble();
        devTools.call(session, "Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        for (String type : List.of("mousePressed", "mouseReleased")) {
            devTools.call(session, "Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y,
                    "button", "left", "clickCount", 1));
        }
    }

    /** Focuses the element matching {@code selector} and types {@code text} into it. */
    public void type(String selector, String text) throws InterruptedException {
        evaluate("document.querySelector(" + quote(selector) + ").focus()");
        devTools.call(session, "Input.insertText", Map.of("text", text));
    }

    /** Saves a PNG of the whole page, beyond the window's height too. */
    public void screenshot(Path file) throws InterruptedException, IOException {
        JsonNode shot = devTools.call(session, "Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    /**
     * Clicks {@code selector} and returns the id of the download that follows, once it has been written completely;
     * the file has that id as its name in the directory given to {@link Chromium#allowDownloads}.
     */
    public String download(String selector, Duration timeout) throws InterruptedException {
        CompletableFuture<JsonNode> done = devTools.next(null, "Browser.downloadProgress",
                p -> p.path("state").asText().equals("completed"));
        click(selector);
        return await(done, timeout, "the download started by " + selector).get("guid").asText();
    }

    /** What the page reported as wrong so far. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** The address of every request the page made so far, in order. */
    public synchronized List<String> requestUrls() {
        return List.copyOf(requestUrls);
    }

    private synchronized void problem(String text) {
        problems.add(text);
    }

    private synchronized void requested(String url) {
        requestUrls.add(url);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not come within " + timeout, e);
        }
    }

    /** A JavaScript string literal of {@code text}. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean truthy(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        return !value.isTextual() || !value.asText().isEmpty();
    }
}
