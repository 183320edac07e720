package gateway.bridge.e2e;

import gateway.bridge.Gateway;
import gateway.demoagent.DemoScript;
import gateway.demoagent.DemoAgent;
import gateway.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final DemoAgent agent;
    private final Gateway gateway;
    private final Path recordingsDir;

    private GatewayUnderIT(DemoAgent agent, Gateway gateway, Path recordingsDir) {
        this.agent = agent;
        this.gateway = gateway;
        this.recordingsDir = recordingsDir;
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

    int httpPort() {
        return gateway.httpPort();
    }

    /**
     * The value of one sample of the gateway's {@code /metrics} (Prometheus text format), e.g.
     * {@code gateway_rtp_packets_received_total}; fails if the gateway does not serve it.
     */
    double metric(String sample) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : response.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip());
            }
        }
        throw new AssertionError("no " + sample + " in /metrics: " + response.body());
    }

    DemoAgent agent() {
        return agent;
    }

    Path recordingsDir() {
        return recordingsDir;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            agent.close();
        }
    }
}
