package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bridge.Gateway;
import gateway.config.ConfigLoader;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A gateway started in-process on 127.0.0.1 with ephemeral SIP and HTTP ports, talking to its own demo agent
 * (echo mode) and recording into a test directory. Threading: started and closed by the test thread.
 */
final class GatewayUnderIT implements AutoCloseable {

    /** The key the gateway is configured with and the agent insists on, so the Authorization path is exercised. */
    static final String API_KEY = "e2e-test-key";
    /** Each test class gets its own 100-port RTP range inside 30000-40000 so parallel runs cannot collide. */
    static final int RTP_RANGE_SIZE = 100;
    /** Longer than any utterance the e2e callers make (their fixtures are 5 s). */
    private static final long WHOLE_REPLY_DELTA_MS = 10_000;
    private static final HttpClient API = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Responses whose first frame was played: the first-audio-delay histogram records each response once. */
    private static final String REPLIES_STARTED = "gateway_first_audio_delay_us_count";
    /** Playout ticks run: the lateness histogram records every 20 ms tick of every call. */
    private static final String PLAYOUT_TICKS = "gateway_playout_lateness_us_count";
    private static final long TICK_MS = 20;
    /** A waiting test scrapes /metrics at most this often: each scrape takes the gateway's HTTP loop a moment. */
    private static final long SCRAPE_INTERVAL_NANOS = 20_000_000;

    private final DemoAgent agent;
    private final Gateway gateway;
    private final Path recordingsDir;
    private Map<String, Double> lastScrape = Map.of();
    private long lastScrapeNanos;

    private GatewayUnderIT(DemoAgent agent, Gateway gateway, Path recordingsDir) {
        this.agent = agent;
        this.gateway = gateway;
        this.recordingsDir = recordingsDir;
    }

    /** What a test does while its SIPp call is up: it drives the call and gives SIPp its cues to end it. */
    interface DuringCall {
        void run(Sipp.Running running) throws Exception;
    }

    /**
     * One SIPp call to this gateway, from the INVITE to its recording: starts {@code scenario} (logged as
     * {@code logName}), runs {@code during}, waits for SIPp to end the call and asserts it succeeded, then returns
     * the call's recording once it is complete, within {@code within}. SIPp is killed if {@code during} fails.
     */
    RecordedCall sippCall(Sipp scenario, String logName, Duration within, DuringCall during) throws Exception {
        Sipp.Running running = scenario.start(sipPort(), logName);
        try {
            during.run(running);
        } catch (Exception | AssertionError e) {
            running.killNow();
            throw e;
        }
        Sipp.Result sipp = running.await();
        assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
        return RecordedCall.awaitOnly(recordingsDir, within);
    }

    /** Starts an agent running {@code script} (with the test key required) and a gateway pointed at it. */
    static GatewayUnderIT start(DemoScript script, int rtpPortMin, Path recordingsDir) throws Exception {
        return start(script, rtpPortMin, recordingsDir, List.of());
    }

    /** As above, with further {@code --key=value} flags. */
    static GatewayUnderIT start(DemoScript script, int rtpPortMin, Path recordingsDir, List<String> extraArgs)
            throws Exception {
        DemoAgent agent = DemoAgent.start(script.withRequiredApiKey(API_KEY));
        try {
            List<String> args = new java.util.ArrayList<>(List.of(
                    "--sip.listen=127.0.0.1",
                    "--sip.port=0",
                    "--sip.public-host=127.0.0.1",
                    "--http.listen=127.0.0.1",
                    "--http.port=0",
                    "--rtp.port-min=" + rtpPortMin,
                    "--rtp.port-max=" + (rtpPortMin + RTP_RANGE_SIZE - 1),
                    "--realtime.url=" + agent.url(),
                    "--realtime.api-key=" + API_KEY,
                    "--recordings.dir=" + recordingsDir));
            args.addAll(extraArgs);
            Gateway gateway = Gateway.start(ConfigLoader.load(args, Map.of()));
            return new GatewayUnderIT(agent, gateway, recordingsDir);
        } catch (Exception | Error e) {
            agent.close();
            throw e;
        }
    }

    /**
     * The demo agent's echo with each reply in one audio delta. The gateway plays a reply from its first delta on;
     * with the default 100 ms deltas, an agent thread starved on a loaded machine can leave the playout queue empty
     * for a tick, a gap the network could cause as well. Tests that compare a played reply sample by sample with
     * what the caller said take the reply whole, so what they check is what the gateway does with the audio it has.
     */
    static DemoScript wholeReplies() {
        return DemoScript.defaults().withDeltaMs(WHOLE_REPLY_DELTA_MS);
    }

    /** Starts with the demo agent's default script (echo). */
    static GatewayUnderIT start(int rtpPortMin, Path recordingsDir) throws Exception {
        return start(DemoScript.defaults(), rtpPortMin, recordingsDir);
    }

    int sipPort() {
        return gateway.sipPort();
    }

    int tlsPort() {
        return gateway.tlsPort();
    }

    int httpPort() {
        return gateway.httpPort();
    }

    /**
     * The value of one sample of the gateway's {@code /metrics} (Prometheus text format), e.g.
     * {@code gateway_rtp_packets_received_total}; fails if the gateway does not serve it.
     */
    double metric(String sample) throws IOException, InterruptedException {
        Double value = scrape().get(sample);
        if (value == null) {
            throw new AssertionError("no " + sample + " in /metrics: " + lastScrape.keySet());
        }
        return value;
    }

    /** As {@link #metric}, for a probe of {@link Await}: an I/O failure is unchecked. */
    double metricNow(String sample) {
        try {
            return metric(sample);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the gateway has played {@code ms} of its reply number {@code n} (1 = the call's first; one call
     * per gateway here): that reply's first frame went out, and {@code ms} of playout ticks ran after it.
     */
    void awaitReplyPlaying(int n, long ms, Duration timeout) throws InterruptedException {
        Map<String, Double> started = Await.until(this::recentScrape, m -> value(m, REPLIES_STARTED) >= n, timeout,
                m -> "reply " + n + " playing: " + value(m, REPLIES_STARTED) + " replies started");
        double ticks = value(started, PLAYOUT_TICKS) + (double) ms / TICK_MS;
        Await.until(this::recentScrape, m -> value(m, PLAYOUT_TICKS) >= ticks, timeout,
                m -> "reply " + n + " playing for " + ms + " ms: " + value(m, PLAYOUT_TICKS) + " ticks of " + ticks);
    }

    /** The last scrape if it is recent, else a new one: a probe for {@link Await}, which polls every few ms. */
    private Map<String, Double> recentScrape() {
        if (System.nanoTime() - lastScrapeNanos < SCRAPE_INTERVAL_NANOS) {
            return lastScrape;
        }
        try {
            return scrape();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double value(Map<String, Double> scrape, String sample) {
        return scrape.getOrDefault(sample, -1.0);
    }

    /** Every sample of {@code /metrics} by its name and labels as written, e.g. {@code x_total{reason="y"}}. */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        Map<String, Double> samples = MetricsScrape.of(gateway.httpPort());
        lastScrape = samples;
        lastScrapeNanos = System.nanoTime();
        return samples;
    }

    /**
     * The active calls API's calls now ({@code GET /api/calls/active}); {@code token} is the bearer token, or null on
     * a gateway without one.
     */
    JsonNode activeCalls(String token) {
        return calls("/api/calls/active", token);
    }

    /** The finished calls the QA API lists for {@code query} ({@code GET /api/calls?query}); no token. */
    JsonNode listedCalls(String query) {
        return calls("/api/calls?" + query, null);
    }

    /** The {@code calls} array of a {@code GET} of {@code pathAndQuery}, which must answer 200. */
    private JsonNode calls(String pathAndQuery, String token) {
        try {
            HttpResponse<String> r = API.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gateway.httpPort() + pathAndQuery)), token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).path("calls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the active calls API lists one call, answered and talking; its entry. */
    JsonNode awaitOneCallTalking(String token, Duration timeout) throws InterruptedException {
        return Await.until(() -> activeCalls(token), calls -> calls.size() == 1
                && calls.get(0).path("state").asText().equals("talking"), timeout,
                calls -> "one call talking: " + calls).get(0);
    }

    /** {@code POST /api/calls/{id}/{action}} with the JSON {@code body}; the status. */
    int act(String id, String action, String body, String token) throws IOException, InterruptedException {
        return API.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + "/api/calls/" + id + "/" + action)), token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    DemoAgent agent() {
        return agent;
    }

    Path recordingsDir() {
        return recordingsDir;
    }

    /**
     * Closes the gateway, then the agent, and fails if the agent refused anything the gateway sent on any session it
     * still remembers: the demo agent checks events as the service does, and a refusal means the real service would
     * have answered the gateway with an {@code error}.
     */
    @Override
    public void close() {
        List<String> refused = new ArrayList<>();
        try {
            gateway.close();
        } finally {
            for (int n = Math.max(1, agent.accepted() - DemoAgent.CONNECTIONS_KEPT + 1); n <= agent.accepted(); n++) {
                try {
                    refused.addAll(agent.connection(n).refusals());
                } catch (NoSuchElementException notKept) {
                    // a refused upgrade or a connection the agent no longer keeps: nothing was checked there
                }
            }
            agent.close();
        }
        if (!refused.isEmpty()) {
            throw new AssertionError("the demo agent refused what the gateway sent (the service would too): "
                    + refused);
        }
    }
}
