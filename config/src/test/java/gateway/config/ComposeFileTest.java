package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/compose.yml} against the code, without a container engine: every file a service mounts exists, every
 * key a gateway service is given loads through {@link ConfigLoader} on top of {@code docker/gateway.yaml} (as the
 * image's entry point does), Kamailio's gateway list and Prometheus' targets are the gateways' SIP and HTTP ports,
 * and no two instances share an RTP range or a port.
 */
class ComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Path COMPOSE = DOCKER.resolve("compose.yml");
    private static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus", "prometheus.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME:?message}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::[-?][^}]*)?}");
    /** What the test sets for the variables the compose file asks of its user. */
    private static final Map<String, String> USER_ENV = Map.of("PUBLIC_HOST", "203.0.113.10",
            "OPENAI_API_KEY", "sk-compose-test", "S3_ACCESS_KEY", "gateway",
            "S3_SECRET_KEY", "compose-test-secret", "QA_API_TOKEN", "compose-test-token-0123456789");
    /** One gateway service as it would start. */
    private record Instance(String service, GatewayConfig config) {

        /** A QA-only instance ({@code --qa-only}) takes no calls: no SIP, no RTP. */
        boolean takesCalls() {
            return !config.qaOnly();
        }
    }

    private static JsonNode compose() throws Exception {
        return YAML.readTree(COMPOSE.toFile());
    }

    private static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            assertTrue(USER_ENV.containsKey(name), "compose.yml uses ${" + name + "}, which the test does not set");
            m.appendReplacement(out, Matcher.quoteReplacement(USER_ENV.get(name)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The gateway services, each loaded as its container would: the image's --config, its command, its env. */
    private static List<Instance> gateways() throws Exception {
        List<Instance> gateways = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : compose().path("services").properties()) {
            JsonNode s = service.getValue();
            if (!"docker/Dockerfile".equals(s.path("build").path("dockerfile").asText())) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("--config", DOCKER.resolve("gateway.yaml").toString()));
            // Main turns the --qa-only flag into qa.only before loading.
            s.path("command").forEach(arg -> args.add(arg.asText().equals(ConfigLoader.QA_ONLY_FLAG)
                    ? "--" + ConfigKey.QA_ONLY.key() + "=true" : arg.asText()));
            Map<String, String> env = new HashMap<>();
            s.path("environment").properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
            env.keySet().forEach(name -> assertTrue(!name.startsWith("GATEWAY_") || known(name),
                    service.getKey() + ": " + name + " is no configuration key's variable"));
            gateways.add(new Instance(service.getKey(), ConfigLoader.load(args, env)));
        }
        return gateways;
    }

    private static boolean known(String envName) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.envName().equals(envName)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyGatewayServiceLoadsItsKeysThroughTheConfigLoader() throws Exception {
        List<Instance> gateways = gateways();
        assertEquals(List.of("gateway-a", "gateway-b", "qa"), gateways.stream().map(Instance::service).toList());
        assertEquals(List.of(true, true, false), gateways.stream().map(Instance::takesCalls).toList(),
                "the QA instance runs with --qa-only");
        for (Instance gw : gateways) {
            assertEquals("recordings", gw.config().storage().bucket(), gw.service() + ": the shared bucket");
            assertEquals("http://127.0.0.1:9000", String.valueOf(gw.config().storage().endpoint()),
                    gw.service());
            if (gw.takesCalls()) {
                assertEquals("203.0.113.10", gw.config().sip().publicHost(), gw.service());
            }
        }
    }

    @Test
    void theInstancesShareNoPortAndNoRtpRange() throws Exception {
        List<Instance> gateways = gateways();
        Map<Integer, String> ports = new TreeMap<>();
        ports.put(5060, "kamailio");
        ports.put(9000, "s3proxy");
        ports.put(9090, "prometheus");
        ports.put(3000, "grafana");
        for (Instance gw : gateways) {
            List<Integer> own = gw.takesCalls() ? List.of(gw.config().sip().port(), gw.config().http().port())
                    : List.of(gw.config().http().port());
            for (int port : own) {
                String other = ports.put(port, gw.service());
                assertEquals(null, other, "port " + port + " of " + gw.service() + " is " + other + "'s too");
            }
        }
        List<Instance> calls = gateways.stream().filter(Instance::takesCalls).toList();
        for (int i = 0; i < calls.size(); i++) {
            for (int j = i + 1; j < calls.size(); j++) {
                GatewayConfig.Rtp a = calls.get(i).config().rtp();
                GatewayConfig.Rtp b = calls.get(j).config().rtp();
                assertTrue(a.portMax() < b.portMin() || b.portMax() < a.portMin(),
                        calls.get(i).service() + " and " + calls.get(j).service() + " share RTP ports");
            }
        }
    }

    @Test
    void kamailioDispatchesToTheGatewaysThatTakeCallsAndPrometheusScrapesThem() throws Exception {
        List<Instance> calls = gateways().stream().filter(Instance::takesCalls).toList();
        List<String> dispatched = Files.readAllLines(DOCKER.resolve("dispatcher.list")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals(calls.stream().map(gw -> "1 sip:127.0.0.1:" + gw.config().sip().port()).toList(), dispatched);

        JsonNode targets = YAML.readTree(PROMETHEUS.toFile()).path("scrape_configs").path(0)
                .path("static_configs").path(0).path("targets");
        List<String> scraped = new ArrayList<>();
        targets.forEach(t -> scraped.add(t.asText()));
        assertEquals(calls.stream().map(gw -> "127.0.0.1:" + gw.config().http().port()).toList(), scraped);
        for (Instance gw : calls) {
            assertEquals("127.0.0.1", gw.config().http().listen(), gw.service()
                    + ": /metrics serves Prometheus on loopback without a token");
        }
    }

    @Test
    void everyMountedFileExistsAndKamailioRunsTheTestsConfiguration() throws Exception {
        JsonNode services = compose().path("services");
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(DOCKER.resolve(source)), service.getKey() + " mounts " + source
                            + ", which does not exist");
                }
            }
            JsonNode build = service.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = DOCKER.resolve(build.path("context").asText());
                assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText())),
                        service.getKey() + "'s Dockerfile");
            }
        }
        JsonNode kamailio = services.path("kamailio");
        assertTrue(kamailio.path("volumes").toString().contains("../deploy/kamailio/kamailio.cfg:/etc/kamailio/"
                + "gateway.cfg"), "the file GatewaysBehindKamailioIT runs");
        assertTrue(kamailio.path("command").toString().contains("\"/etc/kamailio/gateway.cfg\""),
                kamailio.toString());
    }
}
