package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.sip.auth.DigestAlgorithm;
import gateway.sip.auth.DigestSettings;
import gateway.sip.auth.DigestUsers;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INVITE from a source that must authenticate (RFC 3261 §22.2), carrying any {@code Authorization} header value,
 * through the whole UDP pipeline with digest on (RFC 7616: SHA-256 and MD5): the caller first gets a real challenge,
 * and every {@code NONCE} in the input becomes that challenge's nonce, so the credentials reach the checks past the
 * nonce. Nothing is thrown or logged with a throwable, no call is let in without credentials made with the password,
 * and the only answers are a new challenge (401), a refusal (403) or a 400.
 *
 * <p>Input: the header value (line breaks become spaces, so it stays one header). Seeds:
 * {@code SipDigestFuzzTestInputs}.
 */
class SipDigestFuzzTest {

    private static final InetSocketAddress SOFTPHONE = new InetSocketAddress("203.0.113.44", 5062);
    private static final String REALM = "gw.test";
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]*)\"");
    private static final Set<Integer> ANSWERS = Set.of(400, 401, 403);
    private static final AccessSettings DIGEST_FOR_ALL = new AccessSettings(source -> SourcePolicy.Access.DIGEST,
            new DigestSettings(REALM, DigestUsers.parse(List.of("alice:wonderland"), REALM),
                    List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), Duration.ofSeconds(30)),
            AccessSettings.DEFAULT_INVITES, AccessSettings.DEFAULT_AUTH_FAILURES,
            AccessSettings.DEFAULT_SCANNER_AGENTS);

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void forgedCredentialsGetAChallengeOrARefusalNeverACall(byte[] input) {
        try (LogCapture log = LogCapture.everything("gateway.sip");
             UdpHarness sip = new UdpHarness(call -> { }, DIGEST_FOR_ALL)) {
            sip.send(invite("z9hG4bK-d1", 1, null), SOFTPHONE);
            String challenge = sip.nextTo(SOFTPHONE);
            assertEquals(401, UdpHarness.status(challenge), challenge);
            Matcher nonce = NONCE.matcher(UdpHarness.header(challenge, "WWW-Authenticate"));
            assertTrue(nonce.find(), challenge);
            String authorization = new String(input, StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ')
                    .replace("NONCE", nonce.group(1));
            sip.send(invite("z9hG4bK-d2", 2, authorization), SOFTPHONE);
            sip.scheduler.advanceMillis(SipTimers.TIMEOUT / 1_000_000);
            List<String> sent = sip.drain();
            sip.channel.checkException();
            FuzzInvariants.nothingThrown(log);
            assertEquals(List.of(), sip.calls, "no call without the password");
            for (String answer : sent) {
                assertTrue(answer.startsWith("SIP/2.0 ") && ANSWERS.contains(UdpHarness.status(answer)),
                        "a challenge, a refusal or a 400: " + answer);
            }
        }
    }

    private static byte[] invite(String branch, int cseq, String authorization) {
        return SipTestMessages.invite(branch, null).replace("CSeq: 101 INVITE", "CSeq: " + cseq + " INVITE")
                .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
