package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import java.nio.charset.StandardCharsets;

/**
 * Any SDP body through the offer/answer code as a call's INVITE uses it (jain-sip's SDP parser, {@link RemoteSdp},
 * a=crypto, {@link SdpNegotiator}): the only refusal is a {@link SdpNegotiator.Rejected} (a parse failure is
 * {@link SdpParseException}, never anything else), and an accepted offer gets an answer that parses back with the
 * same number of m= lines (RFC 3264 §6). Seeds: {@code SdpFuzzTestInputs}.
 */
class SdpFuzzTest {

    private static final SdesPolicy SDES = SdesPolicy.of(SrtpMode.OFFER, true, false);

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void anOfferIsAnsweredOrRejectedAndTheAnswerParses(byte[] body) throws SdpParseException {
        String sdp = new String(body, StandardCharsets.UTF_8);
        try {
            RemoteSdp.parse(sdp);
        } catch (SdpParseException expected) {
            assertTrue(SdpNegotiator.answer(sdp, null, SDES, null) instanceof SdpNegotiator.Rejected);
            return;
        }
        if (SdpNegotiator.answer(sdp, null, SDES, null) instanceof SdpNegotiator.Accepted accepted) {
            String answer = LocalSdp.answer(accepted, "203.0.113.5", 10_000).render(1, 1);
            assertEquals(accepted.lines().size(), RemoteSdp.parse(answer).streams().size(), answer);
        }
    }
}
