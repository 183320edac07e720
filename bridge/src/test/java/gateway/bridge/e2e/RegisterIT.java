package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REGISTER to a provider (RFC 3261 §10) against a SIPp registrar on 127.0.0.3 that challenges: the gateway answers
 * the 401 with digest credentials, refreshes before the granted expiry runs out, and takes the registrar's INVITEs
 * to the registered user as calls although 127.0.0.0/8 is not among the allowed sources; other sources and other
 * users are still refused.
 */
@Tag("e2e")
class RegisterIT {

    private static final int RTP_MIN = 37_300;
    private static final String REGISTRAR = "127.0.0.3";
    /** The credentials the registrar scenario (uas_registrar_challenges.xml) checks. */
    private static final String USER = "gw-e2e";
    private static final String PASSWORD = "e2e-registrar-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A UAS scenario answers where requests come from; SIPp still wants a remote host on its command line. */
    private static final int UNUSED_REMOTE_PORT = 9;

    @TempDir
    Path recordings;

    @Test
    void registersWithTheChallengeRefreshesAndTakesTheRegistrarsCalls() throws Exception {
        int registrarPort = Sipp.freeUdpPort();
        Sipp.Running registrar = Sipp.scenario("uas_registrar_challenges.xml").from(REGISTRAR).port(registrarPort)
                .timeout(Duration.ofSeconds(60)).start(UNUSED_REMOTE_PORT, "register-registrar");
        String registration = USER + "@" + REGISTRAR + ":" + registrarPort;
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, List.of(
                "--sip.allowed-sources=192.0.2.0/24",
                "--sip.registrations=[{\"registrar\":\"" + REGISTRAR + ":" + registrarPort + "\",\"user\":\"" + USER
                        + "\",\"password\":\"" + PASSWORD + "\",\"expires\":300}]"))) {
            Sipp.Result registered = registrar.await();
            assertEquals(Sipp.SUCCESS, registered.exitCode(), "the registrar verified both answers: "
                    + registered.describe());
            SipMessage first = registered.messages().get(0);
            assertEquals("REGISTER sip:" + REGISTRAR + ":" + registrarPort + " SIP/2.0", first.startLine());
            assertEquals("<sip:" + USER + "@127.0.0.1:" + gw.sipPort() + ">", first.header("Contact").orElseThrow());
            assertEquals("300", first.header("Expires").orElseThrow());
            assertFalse(first.header("Authorization").isPresent(), "no credentials before the challenge");
            List<SipMessage> registers = registered.messages().stream()
                    .filter(m -> m.received() && m.method().equals("REGISTER") && !m.isResponse()).toList();
            assertEquals(3, registers.size(), "the first, the one answering the challenge, the refresh");
            assertTrue(registers.get(1).header("Authorization").orElseThrow().contains("nc=00000001"));
            assertTrue(registers.get(2).header("Authorization").orElseThrow().contains("nc=00000002"),
                    "the refresh answers the same nonce with the next count");
            assertEquals(first.header("Call-ID"), registers.get(2).header("Call-ID"), "one Call-ID (§10.2.4)");
            Await.until(() -> metric(gw, "gateway_sip_registered{registration=\"" + registration + "\"}") == 1,
                    TIMEOUT, () -> "the refresh's 200 to be taken");
            assertEquals(0, metric(gw, "gateway_sip_registration_failures_total{registration=\"" + registration
                    + "\"}"));

            Sipp.Result call = Sipp.scenario("uac_speech.xml").from(REGISTRAR).args("-s", USER).pauseMs(1_000)
                    .run(gw.sipPort(), "register-inbound-call");
            assertEquals(Sipp.SUCCESS, call.exitCode(), "the registrar's call to our user: " + call.describe());
            assertEquals(1, gw.agent().connections());

            Sipp.Result stranger = Sipp.scenario("uac_expect_403.xml").from("127.0.0.4").args("-s", USER)
                    .run(gw.sipPort(), "register-stranger");
            assertEquals(Sipp.SUCCESS, stranger.exitCode(), "another source: " + stranger.describe());
            Sipp.Result otherUser = Sipp.scenario("uac_expect_403.xml").from(REGISTRAR).args("-s", "agent")
                    .run(gw.sipPort(), "register-other-user");
            assertEquals(Sipp.SUCCESS, otherUser.exitCode(), "another user: " + otherUser.describe());
            assertEquals(1, gw.agent().connections(), "neither opened a Realtime session");
            assertEquals(2, metric(gw, "gateway_sip_refused_total{reason=\"source\"}"));
        } finally {
            registrar.killNow();
        }
    }

    private static double metric(GatewayUnderIT gw, String sample) {
        try {
            return gw.metric(sample);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
