package gateway.qa;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The QA web page's files, read once from {@code web/} on the class path (they ship in the jar) and held in memory.
 * Only the names in {@link #NAMES} exist: a request can name nothing else, so no path reaches another resource.
 */
final class WebAssets {

    /** The page's entry point, served at {@code /}. */
    static final String INDEX = "index.html";
    /** Every file of the page; a test checks this list against {@code src/main/resources/web}. */
    static final List<String> NAMES = List.of(INDEX, "style.css", "icon.svg", "app.js", "api.js", "format.js",
            "dom.js", "list.js", "call.js", "wav.js", "waveform.js", "transcript.js", "timeline.js",
            "downloads.js", "quality.js", "live.js", "admin.js", "dashboard.js",
            "analytics.js", "review.js", "replay.js");
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    /** Bytes of the SHA-256 digest kept in an entity tag: collisions between versions of a file are not a concern. */
    private static final int TAG_BYTES = 12;

    /** One file: its bytes, media type and validators. */
    record Asset(String name, byte[] body, String contentType, Validators validators) {
    }

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads every file; a missing one is a packaging error and stops start-up. */
    static WebAssets load() {
        Instant loaded = Instant.now();
        return new WebAssets(NAMES.stream().map(name -> read(name, loaded))
                .collect(Collectors.toUnmodifiableMap(Asset::name, Function.identity())));
    }

    Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    /**
     * Last-Modified is the time the files were loaded: a restart may bring other files, and the entity tag, which
     * browsers prefer, stays the same when the bytes do.
     */
    private static Asset read(String name, Instant loaded) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the web page file " + ROOT + name + " is not in the jar");
            }
            byte[] body = in.readAllBytes();
            return new Asset(name, body, type(name), new Validators(Validators.strongTag(digest(body)), loaded));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + ROOT + name, e);
        }
    }

    private static String type(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            throw new IllegalArgumentException("no media type for " + name);
        }
        return type;
    }

    private static String digest(byte[] body) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(sha, 0, TAG_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
