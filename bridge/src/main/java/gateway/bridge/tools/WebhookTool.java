package gateway.bridge.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.realtime.SessionSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A tool answered by an HTTP webhook: the call POSTs a signed JSON body ({@link WebhookSignature}) naming the phone
 * call, the profile, the tool, the function call's {@code call_id}, its arguments, the caller and the callee; a 2xx
 * answer whose body is JSON is what the model gets. Anything else (another status, a body that is not JSON or is too
 * large, no answer) is a {@link ToolResult.Failure}; the call's own deadline ({@link #timeoutMs()}) turns a slow one
 * into {@code timeout}. Thread-safe: the same instance serves every call.
 */
public final class WebhookTool implements Tool {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int HTTP_OK_MIN = 200;
    private static final int HTTP_OK_MAX = 299;

    private final SessionSettings.Tool definition;
    private final URI url;
    private final long timeoutMs;
    private final Map<String, String> headers;
    private final WebhookClient client;

    public WebhookTool(SessionSettings.Tool definition, URI url, long timeoutMs, Map<String, String> headers,
                       WebhookClient client) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.url = Objects.requireNonNull(url, "url");
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        this.headers = Map.copyOf(headers);
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public SessionSettings.Tool definition() {
        return definition;
    }

    @Override
    public long timeoutMs() {
        return timeoutMs;
    }

    /** The body of a request, as documented in the README's webhook contract. */
    static byte[] body(ToolInvocation invocation, JsonNode arguments) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "tool_call");
        body.put("gateway_call_id", invocation.gatewayCallId());
        body.put("profile", invocation.profile());
        body.put("tool", invocation.tool());
        body.put("tool_call_id", invocation.toolCallId());
        body.set("arguments", arguments);
        body.put("caller", invocation.caller());
        body.put("callee", invocation.callee());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<ToolResult> call(ToolInvocation invocation) {
        JsonNode arguments;
        try {
            arguments = JSON.readTree(invocation.arguments().isBlank() ? "{}" : invocation.arguments());
        } catch (JsonProcessingException e) {
            arguments = null;
        }
        if (arguments == null || !arguments.isObject()) {
            return CompletableFuture.completedFuture(new ToolResult.Failure("invalid_arguments",
                    "The arguments are not a JSON object."));
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.post(url, headers, body(invocation, arguments),
                Duration.ofMillis(timeoutMs));
        CompletableFuture<ToolResult> result = exchange.handle(WebhookTool::answer);
        // Cancelling what the caller holds cancels the exchange: a dependent future does not do that by itself.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    /** The model's answer from the webhook's response, or from why there was none. */
    private static ToolResult answer(HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return switch (cause) {
                case HttpTimeoutException t -> new ToolResult.Failure("timeout", "The tool did not answer in time.");
                case ConnectException c -> new ToolResult.Failure("unreachable", "The tool could not be reached.");
                case CancellationException c -> new ToolResult.Failure("cancelled", "The tool call was cancelled.");
                case LimitedBody.TooLarge t -> new ToolResult.Failure("too_large", "The tool's answer was too large.");
                case IOException io -> new ToolResult.Failure("io_error", "The tool's answer could not be read.");
                default -> new ToolResult.Failure("failed", "The tool call failed.");
            };
        }
        int status = response.statusCode();
        if (status < HTTP_OK_MIN || status > HTTP_OK_MAX) {
            return new ToolResult.Failure("http_" + status, "The tool answered with HTTP status " + status + ".");
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body == null || body.isMissingNode()) {
                return new ToolResult.Failure("invalid_response", "The tool's answer was empty.");
            }
            return new ToolResult.Success(body.toString());
        } catch (IOException e) {
            return new ToolResult.Failure("invalid_response", "The tool's answer was not JSON.");
        }
    }

    @Override
    public String toString() {
        return "WebhookTool[" + definition.name() + " -> " + url + ", timeoutMs=" + timeoutMs + ", headers="
                + headers.keySet() + "]";
    }
}
