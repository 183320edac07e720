package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a registrar answers our REGISTER (RFC 3261 §10.2), through the real UDP pipeline into {@link Registration}:
 * a status and any header lines (challenges, Contact and Expires, Min-Expires, Retry-After), given to the first
 * REGISTER and to each one sent straight back. Nothing is thrown or logged with a throwable; the gateway sends only
 * REGISTER requests to the registrar, at most one in answer to each response; it counts itself registered only after
 * a 2xx; and over the next hour it keeps to its refresh and back-off times, never a storm.
 *
 * <p>Input: byte 0 picks the status, the rest is header lines put into the response (a line break each, as sent).
 * Seeds: {@code RegistrarResponseFuzzTestInputs}.
 */
class RegistrarResponseFuzzTest {

    private static final InetSocketAddress REGISTRAR = new InetSocketAddress("198.51.100.9", 5060);
    private static final int[] STATUSES = {200, 401, 407, 423, 403, 404, 500, 503};
    private static final String[] REASONS = {"OK", "Unauthorized", "Proxy Authentication Required",
        "Interval Too Brief", "Forbidden", "Not Found", "Server Internal Error", "Service Unavailable"};
    /** REGISTERs sent straight back to the same answer that are answered again: more than a challenge takes. */
    private static final int ROUNDS = 3;
    private static final long HOUR_MS = 3_600_000;
    /**
     * REGISTERs (retransmissions included) an hour may hold: fewer than a 1 s binding refreshed every half second,
     * the most any answer can ask for; a loop that does not wait would never end the hour.
     */
    private static final int MAX_IN_AN_HOUR = (int) (HOUR_MS / 500);

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void theRegistrarsAnswerNeverMakesUsSendAnythingButPacedRegisters(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int choice = Byte.toUnsignedInt(input[0]) % STATUSES.length;
        String headers = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        try (LogCapture log = LogCapture.everything("gateway.sip");
             UdpHarness sip = new UdpHarness(call -> { }, new AccessSettings(SourcePolicy.OPEN_TO_ALL, null,
                     AccessSettings.DEFAULT_INVITES, AccessSettings.DEFAULT_AUTH_FAILURES, List.of()))) {
            sip.core.register(List.of(new RegistrationSettings("198.51.100.9", 5060, "alice", "alice-auth",
                    "pa55-w0rd", 600, "udp")), host -> CompletableFuture.completedFuture(REGISTRAR.getAddress()),
                    sip.channel);
            List<String> sent = registers(sip);
            assertTrue(sent.size() == 1, "one REGISTER to start with: " + sent);
            for (int round = 0; round < ROUNDS && sent.size() == 1; round++) {
                String response = SipTestMessages.responseTo(sent.get(0), STATUSES[choice], REASONS[choice]);
                if (!headers.isEmpty()) {
                    response = response.replace("Content-Length: 0\r\n", headers + "\r\nContent-Length: 0\r\n");
                }
                sip.send(response.getBytes(StandardCharsets.UTF_8), REGISTRAR);
                sent = registers(sip);
                assertTrue(sent.size() <= 1, "at most one REGISTER in answer to a response: " + sent);
                if (STATUSES[choice] >= 300) {
                    assertFalse(sip.core.registrations().status().get(0).registered(), "registered after a "
                            + STATUSES[choice]);
                }
            }
            sip.scheduler.advanceMillis(HOUR_MS);
            int later = registers(sip).size();
            assertTrue(later <= MAX_IN_AN_HOUR, later + " REGISTERs in an hour");
            sip.channel.checkException();
            FuzzInvariants.nothingThrown(log);
        }
    }

    /** What the gateway sent since the last look, each checked to be a REGISTER to the registrar. */
    private static List<String> registers(UdpHarness sip) {
        List<String> sent = sip.drainTo(REGISTRAR);
        for (String message : sent) {
            assertTrue(message.startsWith("REGISTER sip:198.51.100.9 SIP/2.0\r\n"), "only REGISTERs: " + message);
        }
        return sent;
    }
}
