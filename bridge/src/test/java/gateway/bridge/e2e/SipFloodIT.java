package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import gateway.testkit.InviteFlood;
import gateway.testkit.LogCapture;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, bounded INVITE flood from a refused source (127.0.0.2) while legitimate callers on 127.0.0.1 place calls:
 * every call connects within 1.5 s, the flood is refused before parsing (answered within its bucket, dropped beyond),
 * and the SIP layer logs a few lines in all instead of one per INVITE. The full-size measurement (20,000 a second for
 * 20 s) is bench/flood/run.sh.
 */
@Tag("e2e")
class SipFloodIT {

    private static final int RTP_MIN = 37_500;
    /** A quarter of the full measurement's rate: the default run shares the machine with other work. */
    private static final long FLOOD_PER_SECOND = 5_000;
    /** Only a bound: the test stops the flood once its calls are done. */
    private static final Duration FLOOD_AT_MOST = Duration.ofSeconds(60);
    private static final int CALLS = 3;
    private static final Duration SETUP_LIMIT = Duration.ofMillis(1_500);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The first refusal at once, then one summary per 10 s: a flood of under 20 s is three lines at most. */
    private static final int MOST_SIP_LOG_LINES = 3;

    @TempDir
    Path recordings;

    @Test
    void legitimateCallsConnectWhileARefusedSourceFloodsAndTheLogStaysShort() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--sip.allowed-sources=127.0.0.1/32"));
             LogCapture log = LogCapture.of("gateway.sip")) {
            // A first call warms the gateway up (class loading, the first Realtime connection) before it is measured.
            Sipp.Result warmUp = Sipp.scenario("uac_speech.xml").pauseMs(300).run(gw.sipPort(), "flood-warm-up");
            assertEquals(Sipp.SUCCESS, warmUp.exitCode(), warmUp.describe());
            List<Duration> setups = new ArrayList<>();
            long start = System.nanoTime();
            InviteFlood flood = InviteFlood.start(new InetSocketAddress("127.0.0.2", 0),
                    new InetSocketAddress("127.0.0.1", gw.sipPort()), FLOOD_PER_SECOND, FLOOD_AT_MOST, "flood-e2e/1.0");
            try {
                Await.until(() -> flood.sent() >= FLOOD_PER_SECOND, TIMEOUT, () -> "a second of flood");
                for (int i = 0; i < CALLS; i++) {
                    long before = flood.sent();
                    Sipp.Result call = Sipp.scenario("uac_speech.xml").pauseMs(300).run(gw.sipPort(),
                            "flood-call-" + i);
                    assertEquals(Sipp.SUCCESS, call.exitCode(), call.describe());
                    setups.add(Duration.between(call.sent("INVITE").time(), call.response(200, "INVITE").time()));
                    assertTrue(flood.sent() > before, "the flood went on during call " + i);
                }
            } finally {
                flood.close();
            }
            long sent = flood.sent();
            long floodNanos = System.nanoTime() - start;
            for (Duration setup : setups) {
                assertTrue(setup.compareTo(SETUP_LIMIT) <= 0, "INVITE to 200 within 1.5 s: " + setups);
            }
            assertEquals(CALLS + 1, gw.agent().connections(), "the flood opened no Realtime session");
            Await.until(() -> metric(gw, "gateway_calls_ended_total{reason=\"caller_bye\"}") == CALLS + 1, TIMEOUT,
                    () -> "every call ended by its caller's BYE: no ACK or BYE of theirs was lost in the flood");

            Await.until(() -> refused(gw) >= sent / 2, TIMEOUT,
                    () -> "the flood counted as refused: " + refused(gw) + " of " + sent);
            assertTrue(refused(gw) <= sent, refused(gw) + " refused of " + sent + " sent");
            double answered = metric(gw, "gateway_sip_refused_total{reason=\"source\"}");
            double seconds = floodNanos / 1e9;
            assertTrue(answered <= 100 + 50 * (seconds + 1), "403s within the source's bucket (100, then 50 a second): "
                    + answered + " in " + seconds + " s");

            List<String> lines = log.lines().stream().map(LogCapture.Line::toString).toList();
            assertTrue(lines.size() <= MOST_SIP_LOG_LINES, sent + " INVITEs in " + seconds + " s: " + lines);
            assertTrue(lines.get(0).startsWith("WARNING refused a request from 127.0.0.2 ("), lines.get(0));
        }
    }

    private static double refused(GatewayUnderIT gw) {
        return metric(gw, "gateway_sip_refused_total{reason=\"source\"}")
                + metric(gw, "gateway_sip_refused_total{reason=\"rate_limited\"}");
    }

    private static double metric(GatewayUnderIT gw, String sample) {
        return gw.metricNow(sample);
    }
}
