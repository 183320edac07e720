package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways (separate JVMs) behind a real Kamailio running the repository's {@code deploy/kamailio/kamailio.cfg}
 * as is: a call through the proxy lands on one of them, which is then drained with SIGTERM; the calls placed after
 * that all connect, on the other gateway (Kamailio fails over on the draining one's 503), while the call in progress
 * on the drained one runs on until its caller hangs up, its ACK and BYE passing through the proxy by the recorded
 * route. Every call is recorded whole; the drained gateway exits 0.
 */
@Tag("e2e")
class GatewaysBehindKamailioIT {

    private static final int RTP_A = 35_400;
    private static final int RTP_B = 35_500;
    private static final int CALLS_AFTER_DRAIN = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ACTIVE = Pattern.compile("(?m)^gateway_calls_active (\\S+)$");
    private static final Pattern REFUSED_DRAINING =
            Pattern.compile("(?m)^gateway_calls_refused_total\\{reason=\"draining\",?} (\\S+)$");

    @TempDir
    Path dir;

    /** The repository's Kamailio configuration, found from the module's directory. */
    private static Path kamailioConfig() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path cfg = p.resolve("deploy/kamailio/kamailio.cfg");
            if (Files.isRegularFile(cfg)) {
                return cfg;
            }
        }
        throw new IllegalStateException("no deploy/kamailio/kamailio.cfg above " + Path.of("").toAbsolutePath());
    }

    private Process kamailio(int port, GatewayProcess... gateways) throws IOException {
        Path run = Files.createDirectories(dir.resolve("kamailio"));
        StringBuilder list = new StringBuilder();
        for (GatewayProcess gw : gateways) {
            list.append("1 sip:127.0.0.1:").append(gw.sipPort()).append('\n');
        }
        Path dispatcherList = Files.writeString(run.resolve("dispatcher.list"), list.toString());
        return new ProcessBuilder("kamailio", "-f", kamailioConfig().toString(), "-DD", "-E",
                "-Y", run.toString(), "-P", run.resolve("kamailio.pid").toString(), "-w", run.toString(),
                "-A", "LISTEN=udp:127.0.0.1:" + port, "-A", "DISPATCHER_LIST=\"" + dispatcherList + "\"")
                .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
    }

    /** Waits until the proxy answers OPTIONS (it binds within a moment of starting; earlier probes are lost). */
    private void awaitProxy(int port, Process proxy) throws Exception {
        try (RawSipClient probe = new RawSipClient(port)) {
            int[] n = {0};
            Await.until(() -> {
                if (!proxy.isAlive()) {
                    throw new IllegalStateException("kamailio exited: " + log("kamailio.log"));
                }
                try {
                    n[0]++;
                    probe.send("OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\n"
                            + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.localPort() + ";branch=z9hG4bK-probe-" + n[0]
                            + ";rport\nMax-Forwards: 70\nFrom: <sip:probe@127.0.0.1>;tag=probe\n"
                            + "To: <sip:127.0.0.1:" + port + ">\nCall-ID: probe-" + n[0] + "@127.0.0.1\n"
                            + "CSeq: " + n[0] + " OPTIONS\nContent-Length: 0\n\n");
                    return probe.awaitFinalResponse(Duration.ofMillis(200)).statusCode();
                } catch (IOException | AssertionError e) {
                    return 0;
                }
            }, code -> code == 200, TIMEOUT, code -> "kamailio not answering OPTIONS: " + log("kamailio.log"));
        }
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    private static String get(GatewayProcess gw, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path)).build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double metric(GatewayProcess gw, Pattern sample) {
        Matcher m = sample.matcher(get(gw, "/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static List<JsonNode> calls(Path recordings, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> calls = new ArrayList<>();
        for (Path call : Recordings.awaitFinished(recordings, count, TIMEOUT)) {
            calls.add(json.readTree(call.resolve("call.json").toFile()));
        }
        return calls;
    }

    @Test
    void aGatewayDrainedBehindTheProxyKeepsItsCallAndTheNewCallsGoToTheOther() throws Exception {
        Path recordingsA = Files.createDirectories(dir.resolve("recordings-a"));
        Path recordingsB = Files.createDirectories(dir.resolve("recordings-b"));
        List<String> args = List.of("--shutdown.drain-seconds=3600");
        try (GatewayProcess a = GatewayProcess.start(recordingsA, RTP_A, dir.resolve("gateway-a.log"), args);
             GatewayProcess b = GatewayProcess.start(recordingsB, RTP_B, dir.resolve("gateway-b.log"), args)) {
            int proxyPort = Sipp.freeUdpPort();
            Process proxy = kamailio(proxyPort, a, b);
            try {
                awaitProxy(proxyPort, proxy);
                Sipp.Running held = Sipp.scenario("uac_speech_cue.xml").timeout(TIMEOUT)
                        .start(proxyPort, "kamailio-held");
                GatewayProcess drained = Await.until(() -> metric(a, ACTIVE) == 1 ? a : metric(b, ACTIVE) == 1 ? b
                        : null, gw -> gw != null, TIMEOUT, gw -> "the held call reached neither gateway");
                GatewayProcess kept = drained == a ? b : a;
                Path drainedRecordings = drained == a ? recordingsA : recordingsB;
                Path keptRecordings = drained == a ? recordingsB : recordingsA;

                drained.terminate();
                Await.until(() -> get(drained, "/health/ready"), r -> r.startsWith("503 draining"), TIMEOUT,
                        r -> "not draining: " + r);
                for (int i = 0; i < CALLS_AFTER_DRAIN; i++) {
                    Sipp.Result after = Sipp.scenario("uac_speech.xml").pauseMs(500).timeout(TIMEOUT)
                            .run(proxyPort, "kamailio-after-" + i);
                    assertEquals(Sipp.SUCCESS, after.exitCode(), "call " + i + " after the drain: " + after.errors()
                            + log("kamailio.log"));
                }
                assertTrue(metric(drained, REFUSED_DRAINING) >= 1,
                        "round robin sent the draining gateway new INVITEs, and it refused them");
                List<JsonNode> moved = calls(keptRecordings, CALLS_AFTER_DRAIN);
                for (JsonNode call : moved) {
                    assertEquals("caller_bye", call.path("end_reason").asText(), call.toString());
                }

                held.cue("the calls after the drain went to the other gateway");
                assertEquals(Sipp.SUCCESS, held.await().exitCode(), "the held call ran on and ended normally");
                assertEquals(0, drained.awaitExit(TIMEOUT), drained.log());
                JsonNode heldCall = calls(drainedRecordings, 1).get(0);
                assertEquals("caller_bye", heldCall.path("end_reason").asText(), heldCall.toString());
                assertTrue(heldCall.path("duration_ms").asLong() > 0, heldCall.toString());
                assertEquals(CALLS_AFTER_DRAIN, calls(keptRecordings, CALLS_AFTER_DRAIN).size(),
                        "no call of the drained gateway went elsewhere, and none twice");
            } finally {
                proxy.destroy();
                if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly();
                }
            }
        }
    }
}
