package gateway.bridge.tools;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Posts signed JSON to tool webhooks with the JDK's HTTP client, asynchronously: nothing here blocks the caller's
 * thread, the exchange runs on the client's own virtual threads, and a cancelled future cancels its exchange. One
 * per gateway; closed at shutdown. Thread-safe.
 */
public final class WebhookClient implements AutoCloseable {

    /** A tool's answer larger than this is refused: it goes to the model as text, and 64 KiB is a long answer. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final String USER_AGENT = "sip-realtime-gateway";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final WebhookSignature signature;
    private final InstantSource wallClock;

    /** A client that signs with {@code secret} and dates its requests by {@code wallClock}. */
    public WebhookClient(String secret, InstantSource wallClock) {
        this(new WebhookSignature(secret), wallClock);
    }

    private WebhookClient(WebhookSignature signature, InstantSource wallClock) {
        this.signature = signature;
        this.wallClock = wallClock;
        this.http = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client that does not sign its requests: for receivers configured without a secret. */
    public static WebhookClient unsigned(InstantSource wallClock) {
        return new WebhookClient((WebhookSignature) null, wallClock);
    }

    /**
     * Posts {@code body} (JSON) to {@code url} with {@code headers}, the content type and the signature; completes
     * with the response (its body read up to {@link #MAX_RESPONSE_BYTES}), or exceptionally. Cancelling the future
     * cancels the exchange. {@code timeout} bounds the wait for the response's headers.
     */
    public CompletableFuture<HttpResponse<byte[]>> post(URI url, Map<String, String> headers, byte[] body,
                                                        Duration timeout) {
        long now = wallClock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT);
        if (signature != null) {
            request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
                    .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(now, body));
        }
        headers.forEach(request::header);
        return http.sendAsync(request.build(), LimitedBody.handler(MAX_RESPONSE_BYTES));
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
