package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in {@code deploy/grafana/} cannot rot: every metric its expressions use is in the
 * {@code /metrics} of a real gateway (object storage configured, its endpoint down) after a SIPp call in which the
 * Realtime service reported an error. The scrape also follows Prometheus' naming: counters end in {@code _total},
 * times are in seconds.
 */
@Tag("e2e")
class DashboardMetricsIT {

    private static final int RTP_MIN = 40_510;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "gateway-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bgateway_[a-z0-9_]+");
    private static final Pattern COUNTER = Pattern.compile("(?m)^# TYPE (gateway_\\S+) counter$");
    /**
     * Latency quantiles in microseconds (and their _count), kept under their names because the load harness
     * ({@code bench/load}) and BENCHMARKS.md read them; every other time is in seconds.
     */
    private static final Set<String> MICROSECOND_GAUGES = Set.of("gateway_inbound_latency_us",
            "gateway_playout_lateness_us", "gateway_first_audio_delay_us");

    @TempDir
    Path dir;

    private static String get(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyMetricOfTheDashboardIsExposed() throws Exception {
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher names = METRIC.matcher(target.get("expr").asText());
                while (names.find()) {
                    used.add(names.group());
                }
            }
        }
        assertTrue(used.size() >= 15, "the dashboard's metrics: " + used);
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        int deadPort = Sipp.freeUdpPort();
        String scrape;
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults()
                .withErrorOnTurn(1, "server_error", "server_error", "The server had an error."));
             GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, dir.resolve("gateway.log"), List.of(
                     "--realtime.url=" + agent.url(), "--storage.s3.bucket=recordings",
                     "--storage.s3.endpoint=http://127.0.0.1:" + deadPort, "--storage.s3.path-style=true",
                     "--storage.s3.access-key=AKIADASHBOARD", "--storage.s3.secret-key=dashboard-secret",
                     "--storage.retry-min-ms=100"))) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "dashboard");
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + gw.httpPort() + "/metrics");
            Await.until(() -> get(http, metrics), body -> body.contains("gateway_realtime_errors_total"), TIMEOUT,
                    body -> "the Realtime error of the caller's first turn in /metrics:\n" + body);
            running.cue("the Realtime service reported its error");
            Sipp.Result call = running.await();
            assertEquals(Sipp.SUCCESS, call.exitCode(), call.describe());
            scrape = Await.until(() -> get(http, metrics),
                    body -> body.contains("gateway_calls_ended_total{reason=\"caller_bye\"} 1.0"),
                    TIMEOUT, body -> "the call's end in /metrics:\n" + body);
        }
        for (String name : used) {
            assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find(),
                    name + " is not in /metrics:\n" + scrape);
        }
        Matcher counters = COUNTER.matcher(scrape);
        while (counters.find()) {
            assertTrue(counters.group(1).endsWith("_total"), "a counter without _total: " + counters.group(1));
        }
        Matcher names = Pattern.compile("(?m)^# TYPE (gateway_\\S+) ").matcher(scrape);
        while (names.find()) {
            String name = names.group(1);
            boolean microseconds = MICROSECOND_GAUGES.stream().anyMatch(name::startsWith);
            assertTrue(!name.contains("_ms") && (!name.contains("_us") || microseconds),
                    "a time not in seconds: " + name);
        }
    }
}
