package gateway.sip;

import static gateway.sip.UdpHarness.CALLER;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.headers;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.sip.auth.AuthOutcome;
import gateway.sip.auth.DigestAlgorithm;
import gateway.sip.auth.DigestChallenge;
import gateway.sip.auth.DigestSettings;
import gateway.sip.auth.DigestUsers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admission through the real UDP pipeline: refused sources, floods, scanners and digest authentication, and what a
 * refused request costs: no transaction, no dialog, no call.
 */
class AdmissionTest {

    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.66", 5060);
    private static final InetSocketAddress SOFTPHONE = new InetSocketAddress("203.0.113.44", 5062);
    private static final String REALM = "gw.test";

    /** 192.0.2.0/24 (the harness's caller) may call; 203.0.113.0/24 must authenticate; the rest is refused. */
    private static final SourcePolicy POLICY = source -> {
        byte[] a = source.getAddress();
        if (a[0] == (byte) 192 && a[1] == 0 && a[2] == 2) {
            return SourcePolicy.Access.OPEN;
        }
        return a[0] == (byte) 203 ? SourcePolicy.Access.DIGEST : SourcePolicy.Access.REFUSED;
    };

    private static AccessSettings access(RateLimit invites, RateLimit authFailures) {
        return new AccessSettings(POLICY, new DigestSettings(REALM, DigestUsers.parse(List.of("alice:wonderland"),
                REALM), List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), Duration.ofSeconds(30)), invites,
                authFailures, AccessSettings.DEFAULT_SCANNER_AGENTS);
    }

    @Test
    void aRefusedSourcesInviteGetsAStateless403AndCostsNothing() {
        try (UdpHarness sip = new UdpHarness(call -> { }, access(AccessSettings.DEFAULT_INVITES,
                AccessSettings.DEFAULT_AUTH_FAILURES))) {
            sip.send(bytes(invite("z9hG4bK-s1", "stranger-1")), STRANGER);
            String refused = sip.nextTo(STRANGER);
            assertEquals("SIP/2.0 403 Forbidden", refused.substring(0, refused.indexOf("\r\n")));
            assertEquals("1 INVITE", header(refused, "CSeq"));
            assertEquals("stranger-1", header(refused, "Call-ID"));
            assertNotNull(tag(header(refused, "To")));
            assertEquals("test-gw/1.0", header(refused, "Server"));
            sip.assertNothingSent();
            assertEquals(0, sip.core.transactionCount(), "no transaction");
            assertEquals(0, sip.core.dialogCount(), "no dialog");
            assertEquals(0, sip.calls.size(), "no call for the handler, so no port, recording or Realtime session");
            assertEquals(1, sip.core.admission().counters().refused(Refusal.SOURCE));
            sip.send(bytes(SipTestMessages.options("z9hG4bK-s2")), STRANGER);
            assertEquals(403, status(sip.nextTo(STRANGER)), "any request of a refused source");
            sip.send(bytes("ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.66;branch=z9hG4bK-s1\r\n"
                    + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: stranger-1\r\nCSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n\r\n"), STRANGER);
            sip.send(bytes("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK-x\r\n"
                    + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 BYE\r\n"
                    + "Content-Length: 0\r\n\r\n"), STRANGER);
            sip.assertNothingSent();
        }
    }

    @Test
    void aFloodFromOneSourceIsAnsweredWithinItsBucketAndDroppedBeyond() {
        try (UdpHarness sip = new UdpHarness(call -> { }, access(new RateLimit(2, 3),
                AccessSettings.DEFAULT_AUTH_FAILURES))) {
            for (int i = 0; i < 1000; i++) {
                sip.send(bytes(invite("z9hG4bK-f" + i, "flood-" + i)), STRANGER);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(403, status(sip.nextTo(STRANGER)));
            }
            sip.assertNothingSent();
            AdmissionCounters counters = sip.core.admission().counters();
            assertEquals(3, counters.refused(Refusal.SOURCE));
            assertEquals(997, counters.refused(Refusal.RATE_LIMITED));
            sip.scheduler.advanceMillis(500);
            sip.send(bytes(invite("z9hG4bK-f-late", "flood-late")), STRANGER);
            assertEquals(403, status(sip.nextTo(STRANGER)), "the bucket refills at its rate");
            sip.send(bytes(invite("z9hG4bK-ok", "legit-1")), CALLER);
            assertEquals(100, status(sip.next()), "another source is not held back by the flood");
            assertEquals(1, sip.calls.size());
        }
    }

    @Test
    void aScannerGetsNoAnswerEvenFromAnAllowedSource() {
        try (UdpHarness sip = new UdpHarness(call -> { }, access(AccessSettings.DEFAULT_INVITES,
                AccessSettings.DEFAULT_AUTH_FAILURES))) {
            sip.send(bytes(invite("z9hG4bK-sc", "scan-1").replace("Max-Forwards: 70\r\n",
                    "Max-Forwards: 70\r\nUser-Agent: friendly-scanner\r\n")), CALLER);
            sip.send(bytes(invite("z9hG4bK-sc2", "scan-2").replace("Max-Forwards: 70\r\n",
                    "Max-Forwards: 70\r\nUser-Agent: sipvicious 0.3\r\n")), STRANGER);
            sip.assertNothingSent();
            assertEquals(2, sip.core.admission().counters().refused(Refusal.SCANNER));
            assertEquals(0, sip.calls.size());
        }
    }

    @Test
    void aSourceThatMustAuthenticateIsChallengedThenLetInWithTheRightPassword() {
        try (UdpHarness sip = new UdpHarness(call -> { }, access(AccessSettings.DEFAULT_INVITES,
                AccessSettings.DEFAULT_AUTH_FAILURES))) {
            sip.send(bytes(invite("z9hG4bK-a1", "auth-1")), SOFTPHONE);
            String challenge = sip.nextTo(SOFTPHONE);
            assertEquals("SIP/2.0 401 Unauthorized", challenge.substring(0, challenge.indexOf("\r\n")));
            List<String> challenges = headers(challenge, "WWW-Authenticate");
            assertEquals(2, challenges.size());
            assertTrue(challenges.get(0).contains("algorithm=SHA-256"), challenges.get(0));
            assertTrue(challenges.get(1).contains("algorithm=MD5"), challenges.get(1));
            sip.assertNothingSent();
            assertEquals(0, sip.core.transactionCount(), "the challenge is stateless: nothing kept");
            assertEquals(0, sip.calls.size());
            sip.send(bytes(SipTestMessages.ack("z9hG4bK-a1", tag(header(challenge, "To")), "1")
                    .replace(SipTestMessages.CALL_ID, "auth-1")), SOFTPHONE);
            sip.assertNothingSent();

            sip.send(bytes(invite("z9hG4bK-a2", "auth-1", 2, authorization(challenge, 0, "alice", "wonderland", 1))),
                    SOFTPHONE);
            assertEquals(100, status(sip.nextTo(SOFTPHONE)));
            assertEquals(1, sip.calls.size(), "the call reaches the handler");
            assertEquals(1, sip.core.admission().counters().authAccepted());
            assertEquals(1, sip.core.admission().counters().authNotAccepted(AuthOutcome.Reason.MISSING));

            sip.send(bytes(invite("z9hG4bK-a3", "auth-2", 2, authorization(challenge, 0, "alice", "wonderland", 1))),
                    SOFTPHONE);
            String replayed = sip.nextTo(SOFTPHONE);
            assertEquals(401, status(replayed), "a replayed nonce count is refused");
            assertTrue(header(replayed, "WWW-Authenticate").contains("stale=true"));
            assertEquals(1, sip.calls.size());
            assertEquals(1, sip.core.admission().counters().refused(Refusal.REPLAYED));
        }
    }

    @Test
    void wrongPasswordsAreRefusedAndTooManyOfThemSilenceTheSource() {
        try (UdpHarness sip = new UdpHarness(call -> { }, access(AccessSettings.DEFAULT_INVITES,
                new RateLimit(1 / 60.0, 3)))) {
            sip.send(bytes(invite("z9hG4bK-w0", "wrong-0")), SOFTPHONE);
            String challenge = sip.nextTo(SOFTPHONE);
            for (int i = 1; i <= 3; i++) {
                sip.send(bytes(invite("z9hG4bK-w" + i, "wrong-" + i, 2,
                        authorization(challenge, 1, "alice", "guess-" + i, i))), SOFTPHONE);
                String refused = sip.nextTo(SOFTPHONE);
                assertEquals("SIP/2.0 403 Forbidden", refused.substring(0, refused.indexOf("\r\n")));
            }
            sip.send(bytes(invite("z9hG4bK-w4", "wrong-4", 2, authorization(challenge, 1, "alice", "wonderland", 4))),
                    SOFTPHONE);
            sip.assertNothingSent();
            AdmissionCounters counters = sip.core.admission().counters();
            assertEquals(3, counters.authNotAccepted(AuthOutcome.Reason.BAD_RESPONSE));
            assertEquals(1, counters.refused(Refusal.AUTH_RATE_LIMITED), "even the right password, for a while");
            assertEquals(0, sip.calls.size());
            sip.scheduler.advanceMillis(60_000);
            sip.send(bytes(invite("z9hG4bK-w5", "wrong-5", 2, authorization(challenge, 1, "alice", "wonderland", 5))),
                    SOFTPHONE);
            String stale = sip.nextTo(SOFTPHONE);
            assertEquals(401, status(stale), "a minute later a failure's worth came back, but the nonce is stale");
            assertTrue(header(stale, "WWW-Authenticate").contains("stale=true"), stale);
            sip.send(bytes(invite("z9hG4bK-w6", "wrong-5", 3, authorization(stale, 1, "alice", "wonderland", 1))),
                    SOFTPHONE);
            assertEquals(100, status(sip.nextTo(SOFTPHONE)));
            assertEquals(1, sip.calls.size());
            assertEquals(1, counters.authNotAccepted(AuthOutcome.Reason.STALE));
        }
    }

    /** The Authorization header answering challenge number {@code which} of {@code response} (a 401). */
    private static String authorization(String response, int which, String user, String password, long nc) {
        String challenge = headers(response, "WWW-Authenticate").get(which);
        Map<String, String> params = new HashMap<>();
        for (String part : challenge.substring("Digest ".length()).split(",\\s*")) {
            int eq = part.indexOf('=');
            params.put(part.substring(0, eq), part.substring(eq + 1).replace("\"", ""));
        }
        return DigestChallenge.of(params::get).answer(user, password, "INVITE", "sip:agent@127.0.0.1:5060",
                "cafe" + nc, nc);
    }

    private static String invite(String branch, String callId) {
        return invite(branch, callId, 1, null);
    }

    private static String invite(String branch, String callId, int cseq, String authorization) {
        return SipTestMessages.invite(branch, null).replace(SipTestMessages.CALL_ID, callId)
                .replace("CSeq: 101 INVITE", "CSeq: " + cseq + " INVITE")
                .replace("Max-Forwards: 70\r\n",
                        "Max-Forwards: 70\r\n" + (authorization == null ? "" : "Authorization: " + authorization
                                + "\r\n"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }
}
