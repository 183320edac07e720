package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An INVITE with a non-numeric CSeq gets 400 (RFC 3261 §8.2: a request the UAS cannot parse) with the headers needed
 * to route it back, and the gateway goes on serving: an OPTIONS right after gets 200 with Allow (§11.2).
 */
@Tag("e2e")
class MalformedInviteIT {

    private static final int RTP_MIN = 31_400;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path recordings;

    @Test
    void malformedInviteGets400AndOptionsStillGets200() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings);
             RawSipClient client = new RawSipClient(gw.sipPort())) {
            int sip = gw.sipPort();
            int local = client.localPort();
            client.send("""
                    INVITE sip:agent@127.0.0.1:%1$d SIP/2.0
                    Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=z9hG4bK-e2e-malformed-1;rport
                    Max-Forwards: 70
                    From: <sip:raw@127.0.0.1:%2$d>;tag=raw-1
                    To: <sip:agent@127.0.0.1:%1$d>
                    Call-ID: malformed-1@127.0.0.1
                    CSeq: abc INVITE
                    Contact: <sip:raw@127.0.0.1:%2$d>
                    Content-Length: 0

                    """.formatted(sip, local));
            SipMessage bad = client.awaitFinalResponse(REPLY_TIMEOUT);
            assertEquals(400, bad.statusCode(), bad.startLine());
            assertEquals("malformed-1@127.0.0.1", bad.header("Call-ID").orElse(null));
            assertTrue(bad.header("Via").orElse("").contains("branch=z9hG4bK-e2e-malformed-1"), bad.toString());
            assertTrue(bad.header("From").orElse("").contains("tag=raw-1"), bad.toString());

            client.send("""
                    OPTIONS sip:agent@127.0.0.1:%1$d SIP/2.0
                    Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=z9hG4bK-e2e-options-1;rport
                    Max-Forwards: 70
                    From: <sip:raw@127.0.0.1:%2$d>;tag=raw-2
                    To: <sip:agent@127.0.0.1:%1$d>
                    Call-ID: options-1@127.0.0.1
                    CSeq: 1 OPTIONS
                    Accept: application/sdp
                    Content-Length: 0

                    """.formatted(sip, local));
            SipMessage ok = client.awaitFinalResponse(REPLY_TIMEOUT);
            assertEquals(200, ok.statusCode(), ok.startLine());
            assertEquals("options-1@127.0.0.1", ok.header("Call-ID").orElse(null));
            assertEquals("1 OPTIONS", ok.header("CSeq").orElse("").replaceAll("\\s+", " "));
            Set<String> allow = ok.headers("Allow").stream()
                    .flatMap(v -> Arrays.stream(v.split(",")))
                    .map(s -> s.strip().toUpperCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            assertTrue(allow.containsAll(Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS")), "Allow: " + allow);
            assertEquals(0, Recordings.callDirs(recordings).size(), "no call was started");
        }
    }
}
