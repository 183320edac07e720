package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest authentication of callers (RFC 3261 §22.2) against real SIPp callers and a raw one: the right password
 * connects, a wrong one gets 403, a stale nonce is challenged again with stale=true, and a replayed nonce count is
 * refused; a request that fails opens no RTP port, no recording and no Realtime session.
 */
@Tag("e2e")
class DigestAuthIT {

    private static final int RTP_MIN = 37_100;
    private static final String REALM = "e2e.test";
    private static final String USER = "sipp";
    private static final String PASSWORD = "right-horse-battery";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /**
     * SIPp 3.6 answers only MD5, and only the first challenge of a 401 (it reads the algorithm of all of them joined),
     * as some old phones do: such callers need MD5 alone, as the README says.
     */
    private static final String SIPP_ALGORITHMS = "--sip.auth.algorithms=MD5";

    @TempDir
    Path recordings;

    @TempDir
    Path config;

    private GatewayUnderIT start(int rtpMin, String... extra) throws Exception {
        Path users = Files.writeString(config.resolve("users"), "# e2e callers\n" + USER + ":" + PASSWORD + "\n");
        List<String> args = new java.util.ArrayList<>(List.of("--sip.auth.users=" + users,
                "--sip.auth.realm=" + REALM));
        args.addAll(List.of(extra));
        return GatewayUnderIT.start(DemoScript.defaults(), rtpMin, recordings, args);
    }

    @Test
    void theRightPasswordConnectsAndAWrongOneIsRefusedWithoutOpeningAnything() throws Exception {
        try (GatewayUnderIT gw = start(RTP_MIN, SIPP_ALGORITHMS)) {
            Sipp.Result wrong = Sipp.scenario("uac_auth_refused.xml").args("-au", USER, "-ap", "wrong-horse")
                    .run(gw.sipPort(), "auth-wrong");
            assertEquals(Sipp.SUCCESS, wrong.exitCode(), wrong.describe());
            String challenge = wrong.response(401, "INVITE").header("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.contains("algorithm=MD5") && challenge.contains("realm=\"" + REALM + "\"")
                    && challenge.contains("qop=\"auth\""), challenge);
            assertTrue(wrong.messages().stream().noneMatch(m -> m.received() && m.statusCode() == 100),
                    "a challenge is stateless: not even a 100 Trying");
            wrong.response(403, "INVITE");
            assertEquals(0, gw.agent().connections(), "no Realtime session for a wrong password");
            assertEquals(0, gw.metric("gateway_calls_offered_total"), "no call, so no RTP port");
            assertEquals(1, gw.metric("gateway_sip_auth_total{outcome=\"bad_response\"}"));
            assertEquals(1, gw.metric("gateway_sip_refused_total{reason=\"auth_failed\"}"));
            assertEquals(List.of(), Recordings.callDirs(recordings), "no recording");

            Sipp.Result right = Sipp.scenario("uac_auth.xml").pauseMs(1_000).args("-au", USER, "-ap", PASSWORD)
                    .run(gw.sipPort(), "auth-right");
            assertEquals(Sipp.SUCCESS, right.exitCode(), right.describe());
            assertTrue(right.sent("INVITE", 2).header("Authorization").orElseThrow().contains("username=\"sipp\""));
            right.response(200, "INVITE", 2);
            assertEquals(1, gw.agent().connections());
            assertEquals(1, gw.metric("gateway_sip_auth_total{outcome=\"accepted\"}"));
            assertEquals(2, gw.metric("gateway_sip_auth_total{outcome=\"challenged\"}"));
            assertEquals(1, Recordings.awaitFinished(recordings, 1, REPLY_TIMEOUT).size());
        }
    }

    @Test
    void aStaleNonceIsChallengedAgainAndTheNewOneConnects() throws Exception {
        try (GatewayUnderIT gw = start(RTP_MIN + 30, SIPP_ALGORITHMS, "--sip.auth.nonce-lifetime-seconds=1")) {
            Sipp.Running call = Sipp.scenario("uac_auth_stale.xml").pauseMs(500).args("-au", USER, "-ap", PASSWORD)
                    .start(gw.sipPort(), "auth-stale");
            call.awaitLogged(m -> m.received() && m.statusCode() == 401, REPLY_TIMEOUT, "the first challenge");
            long challenged = System.nanoTime();
            // The nonce must be older than its 1 s lifetime when SIPp answers it: wait for that to be true.
            Await.until(() -> System.nanoTime() - challenged > Duration.ofMillis(1_100).toNanos(), REPLY_TIMEOUT,
                    () -> "the nonce to age past its lifetime");
            call.cue("the nonce aged past its lifetime");
            Sipp.Result result = call.await();
            assertEquals(Sipp.SUCCESS, result.exitCode(), result.describe());
            SipMessage stale = result.response(401, "INVITE", 2);
            assertTrue(stale.header("WWW-Authenticate").orElseThrow().contains("stale=true"), stale.toString());
            assertNotEquals(nonce(result.response(401, "INVITE", 1).header("WWW-Authenticate").orElseThrow()),
                    nonce(stale.header("WWW-Authenticate").orElseThrow()), "a new nonce");
            result.response(200, "INVITE", 3);
            assertEquals(1, gw.metric("gateway_sip_auth_total{outcome=\"stale\"}"));
            assertEquals(1, gw.agent().connections());
        }
    }

    @Test
    void aReplayedNonceCountIsRefusedAndOpensNothing() throws Exception {
        try (GatewayUnderIT gw = start(RTP_MIN + 60);
             RawSipClient client = new RawSipClient(gw.sipPort());
             DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int sip = gw.sipPort();
            client.send(invite(sip, client.localPort(), media.getLocalPort(), "replay-1", "z9hG4bK-replay-1", 1, ""));
            SipMessage challenge = client.awaitFinalResponse(REPLY_TIMEOUT);
            assertEquals(401, challenge.statusCode(), challenge.toString());
            List<String> challenges = challenge.headers("WWW-Authenticate");
            assertEquals(2, challenges.size(), "one challenge per algorithm (RFC 8760 §2.4): " + challenges);
            assertTrue(challenges.get(0).contains("algorithm=SHA-256"), "the preferred first: " + challenges);
            assertTrue(challenges.get(1).contains("algorithm=MD5"), challenges.get(1));
            client.send(ack(sip, client.localPort(), "replay-1", "z9hG4bK-replay-1", 1,
                    challenge.header("To").orElseThrow(), "sip:agent@127.0.0.1:" + sip));
            String authorization = authorization(challenges.get(0), sip);
            client.send(invite(sip, client.localPort(), media.getLocalPort(), "replay-1", "z9hG4bK-replay-2", 2,
                    "Authorization: " + authorization + "\n"));
            SipMessage ok = client.awaitFinalResponse(REPLY_TIMEOUT);
            assertEquals(200, ok.statusCode(), ok.toString());
            String contact = ok.header("Contact").orElseThrow().replaceAll("^<|>$", "");
            client.send(ack(sip, client.localPort(), "replay-1", "z9hG4bK-replay-3", 2, ok.header("To").orElseThrow(),
                    contact));
            assertEquals(1, gw.agent().connections());

            client.send(invite(sip, client.localPort(), media.getLocalPort(), "replay-2", "z9hG4bK-replay-4", 2,
                    "Authorization: " + authorization + "\n"));
            SipMessage replayed = client.awaitFinalResponse(REPLY_TIMEOUT);
            assertEquals(401, replayed.statusCode(), "the same credentials again are refused: " + replayed);
            assertTrue(replayed.header("WWW-Authenticate").orElseThrow().contains("stale=true"), replayed.toString());
            assertEquals(1, gw.metric("gateway_sip_auth_total{outcome=\"replayed\"}"));
            assertEquals(1, gw.metric("gateway_sip_refused_total{reason=\"replayed\"}"));
            assertEquals(1, gw.metric("gateway_calls_offered_total"), "the replay opened no call");
            assertEquals(1, gw.agent().connections(), "and no Realtime session");

            client.send(bye(sip, client.localPort(), "replay-1", "z9hG4bK-replay-5", ok.header("To").orElseThrow(),
                    contact));
            assertEquals(200, client.awaitFinalResponse(REPLY_TIMEOUT).statusCode());
            assertEquals(1, Recordings.awaitFinished(recordings, 1, REPLY_TIMEOUT).size());
        }
    }

    /** Our own SHA-256 answer to the challenge (RFC 7616 §3.4.1), independent of the gateway's digest code. */
    private static String authorization(String challenge, int sipPort) throws Exception {
        Map<String, String> params = new HashMap<>();
        for (String part : challenge.substring("Digest ".length()).split(",\\s*")) {
            int eq = part.indexOf('=');
            params.put(part.substring(0, eq).strip(), part.substring(eq + 1).replace("\"", "").strip());
        }
        assertEquals("SHA-256", params.get("algorithm"));
        String uri = "sip:agent@127.0.0.1:" + sipPort;
        String ha1 = sha256(USER + ":" + params.get("realm") + ":" + PASSWORD);
        String response = sha256(ha1 + ":" + params.get("nonce") + ":00000001:e2e0cafe:auth:"
                + sha256("INVITE:" + uri));
        return "Digest username=\"" + USER + "\", realm=\"" + params.get("realm") + "\", nonce=\"" + params.get("nonce")
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=SHA-256, qop=auth,"
                + " nc=00000001, cnonce=\"e2e0cafe\"";
    }

    private static String nonce(String challenge) {
        int start = challenge.indexOf("nonce=\"") + 7;
        return challenge.substring(start, challenge.indexOf('"', start));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String invite(int sip, int local, int media, String callId, String branch, int cseq,
                                 String authorization) {
        String sdp = """
                v=0
                o=raw 1 1 IN IP4 127.0.0.1
                s=-
                c=IN IP4 127.0.0.1
                t=0 0
                m=audio %d RTP/AVP 0
                a=rtpmap:0 PCMU/8000
                """.formatted(media).replace("\n", "\r\n");
        return """
                INVITE sip:agent@127.0.0.1:%1$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=%4$s;rport
                Max-Forwards: 70
                From: <sip:raw@127.0.0.1:%2$d>;tag=raw-%3$s
                To: <sip:agent@127.0.0.1:%1$d>
                Call-ID: %3$s@127.0.0.1
                CSeq: %5$d INVITE
                Contact: <sip:raw@127.0.0.1:%2$d>
                %6$sContent-Type: application/sdp
                Content-Length: %7$d

                """.formatted(sip, local, callId, branch, cseq, authorization,
                sdp.getBytes(StandardCharsets.UTF_8).length) + sdp;
    }

    private static String ack(int sip, int local, String callId, String branch, int cseq, String to, String target) {
        return """
                ACK %6$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=%4$s;rport
                Max-Forwards: 70
                From: <sip:raw@127.0.0.1:%2$d>;tag=raw-%3$s
                To: %5$s
                Call-ID: %3$s@127.0.0.1
                CSeq: %7$d ACK
                Content-Length: 0

                """.formatted(sip, local, callId, branch, to, target, cseq);
    }

    private static String bye(int sip, int local, String callId, String branch, String to, String target) {
        return ack(sip, local, callId, branch, 3, to, target).replace("ACK ", "BYE ").replace("3 ACK", "3 BYE");
    }
}
