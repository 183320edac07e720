package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NoLog4jParsingTest {

    @Test
    void parsingWorksWithoutLog4j() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.log4j.Logger"));
        ParseOutcome outcome = new SipMessageParser().parse(
                SipTestMessages.invite("z9hG4bK-log", SipTestMessages.OFFER).getBytes(StandardCharsets.UTF_8));
        ParseOutcome.Request request = assertInstanceOf(ParseOutcome.Request.class, outcome);
        assertEquals("INVITE", request.message().getMethod());
        // A damaged header makes jain-sip report through its logger: must not reach for log4j either.
        ParseOutcome bad = new SipMessageParser().parse(SipTestMessages.options("z9hG4bK-x")
                .replace("CSeq: 1 OPTIONS", "CSeq: 99999999999999999999 OPTIONS").getBytes(StandardCharsets.UTF_8));
        assertEquals(400, assertInstanceOf(ParseOutcome.Invalid.class, bad).status());
        assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.answer(SipTestMessages.OFFER, null));
    }
}
