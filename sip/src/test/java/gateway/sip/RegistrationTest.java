package gateway.sip;

import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.LogCapture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * REGISTER on the manual clock through the real UDP pipeline: the challenge answered, the refresh before expiry,
 * 423, the back-off after failures, and the registrar's INVITEs let in although its address is refused otherwise.
 */
class RegistrationTest {

    private static final InetSocketAddress REGISTRAR = new InetSocketAddress("198.51.100.9", 5060);
    private static final String PASSWORD = "pa55-w0rd";
    /** Only the harness's caller network may call; the registrar's address is refused like any stranger's. */
    private static final SourcePolicy POLICY = source -> source.getAddress()[0] == (byte) 192
            ? SourcePolicy.Access.OPEN : SourcePolicy.Access.REFUSED;

    private final UdpHarness sip = new UdpHarness(call -> { }, new AccessSettings(POLICY, null,
            AccessSettings.DEFAULT_INVITES, AccessSettings.DEFAULT_AUTH_FAILURES, List.of()));

    @AfterEach
    void tearDown() {
        sip.close();
    }

    private void register(int expires) {
        sip.core.register(List.of(new RegistrationSettings("198.51.100.9", 5060, "alice", "alice-auth", PASSWORD,
                expires, "udp")), host -> CompletableFuture.completedFuture(REGISTRAR.getAddress()), sip.channel);
    }

    @Test
    void registersAnswersTheChallengeAndRefreshesBeforeTheBindingExpires() throws Exception {
        try (LogCapture log = LogCapture.of(Registration.class)) {
            register(600);
            String first = sip.nextTo(REGISTRAR);
            assertEquals("REGISTER sip:198.51.100.9 SIP/2.0", first.substring(0, first.indexOf("\r\n")));
            assertEquals("<sip:alice@198.51.100.9>", header(first, "To"));
            assertTrue(header(first, "From").startsWith("<sip:alice@198.51.100.9>;tag="), header(first, "From"));
            assertEquals("<sip:alice@203.0.113.5:5060>", header(first, "Contact"));
            assertEquals("600", header(first, "Expires"));
            assertEquals("1 REGISTER", header(first, "CSeq"));
            assertNull(header(first, "Authorization"));
            assertTrue(header(first, "Via").startsWith("SIP/2.0/UDP 203.0.113.5:5060;"), header(first, "Via"));

            reply(first, 401, "Unauthorized", "WWW-Authenticate: Digest realm=\"pbx\", nonce=\"n-1\", qop=\"auth\","
                    + " algorithm=MD5, opaque=\"op\"");
            String second = sip.nextTo(REGISTRAR);
            assertEquals("2 REGISTER", header(second, "CSeq"));
            assertEquals(header(first, "Call-ID"), header(second, "Call-ID"));
            assertEquals(header(first, "From"), header(second, "From"), "one From tag for the registration");
            Map<String, String> auth = params(header(second, "Authorization"));
            assertEquals("alice-auth", auth.get("username"));
            assertEquals("00000001", auth.get("nc"));
            assertEquals("op", auth.get("opaque"));
            assertEquals(expectedResponse(auth), auth.get("response"));
            assertFalse(sip.core.registrations().status().get(0).registered());

            reply(second, 200, "OK", "Contact: <sip:alice@203.0.113.5:5060>;expires=120");
            assertEquals(new RegistrationStatus("alice@198.51.100.9:5060", true, 120, 0),
                    sip.core.registrations().status().get(0));
            sip.scheduler.advanceMillis(89_999);
            sip.assertNothingSent();
            sip.scheduler.advanceMillis(1);
            String refresh = sip.nextTo(REGISTRAR);
            assertEquals("3 REGISTER", header(refresh, "CSeq"));
            Map<String, String> again = params(header(refresh, "Authorization"));
            assertEquals("00000002", again.get("nc"), "the refresh answers the same nonce with the next count");
            assertEquals(expectedResponse(again), again.get("response"));
            reply(refresh, 200, "OK", "Expires: 3600");
            assertEquals(3600, sip.core.registrations().status().get(0).grantedSeconds(), "the Expires header");
            assertTrue(log.lines().stream().anyMatch(l -> l.message().equals(
                    "Registered alice at /198.51.100.9:5060 (udp) for 120 s; refreshing in 90 s")), log.lines()
                    .toString());
            assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(PASSWORD)));
        }
    }

    @Test
    void aStaleChallengeIsAnsweredAndWrongCredentialsAreAFailure() throws Exception {
        register(600);
        String first = sip.nextTo(REGISTRAR);
        reply(first, 407, "Proxy Authentication Required",
                "Proxy-Authenticate: Digest realm=\"pbx\", nonce=\"n-1\", algorithm=SHA-256, qop=\"auth\"");
        String second = sip.nextTo(REGISTRAR);
        Map<String, String> auth = params(header(second, "Proxy-Authorization"));
        assertEquals("SHA-256", auth.get("algorithm"));
        reply(second, 407, "Proxy Authentication Required",
                "Proxy-Authenticate: Digest realm=\"pbx\", nonce=\"n-2\", algorithm=SHA-256, qop=\"auth\", stale=true");
        String third = sip.nextTo(REGISTRAR);
        assertEquals("n-2", params(header(third, "Proxy-Authorization")).get("nonce"));
        reply(third, 407, "Proxy Authentication Required",
                "Proxy-Authenticate: Digest realm=\"pbx\", nonce=\"n-3\", algorithm=SHA-256, qop=\"auth\"");
        sip.assertNothingSent();
        assertEquals(new RegistrationStatus("alice@198.51.100.9:5060", false, 0, 1),
                sip.core.registrations().status().get(0));
    }

    @Test
    void failuresAreRetriedWithADoublingBackOff() {
        register(600);
        reply(sip.nextTo(REGISTRAR), 403, "Forbidden", null);
        assertNextAttemptAfter(30_000);
        reply(sip.nextTo(REGISTRAR), 500, "Server Internal Error", null);
        assertNextAttemptAfter(60_000);
        reply(sip.nextTo(REGISTRAR), 503, "Service Unavailable", "Retry-After: 300");
        assertNextAttemptAfter(300_000);
        String unanswered = sip.nextTo(REGISTRAR);
        sip.scheduler.advanceMillis(31_999);
        while (sip.channel.outboundMessages().size() > 0) {
            assertEquals(header(unanswered, "CSeq"), header(sip.nextTo(REGISTRAR), "CSeq"), "retransmissions");
        }
        sip.scheduler.advanceMillis(1);
        assertEquals(4, sip.core.registrations().status().get(0).failures(), "timer F: no response is a failure");
        assertNextAttemptAfter(240_000);
        reply(sip.nextTo(REGISTRAR), 200, "OK", "Expires: 600");
        assertTrue(sip.core.registrations().status().get(0).registered());
        sip.scheduler.advanceMillis(570_000);
        reply(sip.nextTo(REGISTRAR), 403, "Forbidden", null);
        assertNextAttemptAfter(30_000);
    }

    @Test
    void aTooBriefIntervalIsRaisedToTheRegistrarsMinimum() {
        register(60);
        reply(sip.nextTo(REGISTRAR), 423, "Interval Too Brief", "Min-Expires: 1800");
        String raised = sip.nextTo(REGISTRAR);
        assertEquals("1800", header(raised, "Expires"));
        reply(raised, 200, "OK", null);
        assertEquals(1800, sip.core.registrations().status().get(0).grantedSeconds(), "what we asked for");
    }

    @Test
    void theRegistrarsInvitesToTheRegisteredUserComeInThoughItsAddressIsRefused() {
        register(600);
        sip.nextTo(REGISTRAR);
        String toUs = SipTestMessages.invite("z9hG4bK-reg-1", SipTestMessages.OFFER)
                .replace("INVITE sip:agent@127.0.0.1:5060", "INVITE sip:alice@203.0.113.5:5060");
        sip.send(toUs.getBytes(StandardCharsets.UTF_8), REGISTRAR);
        assertEquals(100, status(sip.nextTo(REGISTRAR)));
        assertEquals(1, sip.calls.size());
        sip.calls.get(0).answer("203.0.113.5", 40000);
        String ok = sip.nextTo(REGISTRAR);
        assertEquals(200, status(ok));
        String toTag = UdpHarness.tag(header(ok, "To"));
        sip.send(SipTestMessages.ack("z9hG4bK-reg-ack", toTag, "101").getBytes(StandardCharsets.UTF_8), REGISTRAR);
        sip.send(SipTestMessages.bye("z9hG4bK-reg-bye", toTag).getBytes(StandardCharsets.UTF_8), REGISTRAR);
        assertEquals("SIP/2.0 200 OK", firstLine(sip.nextTo(REGISTRAR)),
                "in-dialog requests to our Contact (user gateway) come in too");
        String toSomeoneElse = SipTestMessages.invite("z9hG4bK-reg-2", SipTestMessages.OFFER)
                .replace(SipTestMessages.CALL_ID, "other-user");
        sip.send(toSomeoneElse.getBytes(StandardCharsets.UTF_8), REGISTRAR);
        assertEquals(403, status(sip.nextTo(REGISTRAR)), "only our registered user");
        sip.send(toUs.replace("z9hG4bK-reg-1", "z9hG4bK-reg-3").replace(SipTestMessages.CALL_ID, "stranger")
                .getBytes(StandardCharsets.UTF_8), new InetSocketAddress("198.51.100.10", 5060));
        assertEquals(403, status(sip.nextTo(new InetSocketAddress("198.51.100.10", 5060))), "only from the registrar");
        assertEquals(1, sip.calls.size());
    }

    private static String firstLine(String message) {
        return message.substring(0, message.indexOf("\r\n"));
    }

    private void assertNextAttemptAfter(long millis) {
        sip.scheduler.advanceMillis(millis - 1);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
    }

    /** Sends the registrar's response to {@code request} with {@code extraHeader} (may be null). */
    private void reply(String request, int status, String reason, String extraHeader) {
        String response = SipTestMessages.responseTo(request, status, reason);
        if (extraHeader != null) {
            response = response.replace("Content-Length: 0\r\n", extraHeader + "\r\nContent-Length: 0\r\n");
        }
        sip.send(response.getBytes(StandardCharsets.UTF_8), REGISTRAR);
    }

    /** The digest response for the parameters of our Authorization, computed here from the RFC's formulas. */
    private static String expectedResponse(Map<String, String> auth) throws Exception {
        String ha1 = md5(auth.get("username") + ":" + auth.get("realm") + ":" + PASSWORD);
        String ha2 = md5("REGISTER:" + auth.get("uri"));
        return md5(ha1 + ":" + auth.get("nonce") + ":" + auth.get("nc") + ":" + auth.get("cnonce") + ":auth:" + ha2);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> params(String header) {
        Map<String, String> params = new HashMap<>();
        for (String part : header.substring("Digest ".length()).split(",\\s*")) {
            int eq = part.indexOf('=');
            params.put(part.substring(0, eq).strip(), part.substring(eq + 1).replace("\"", "").strip());
        }
        return params;
    }
}
