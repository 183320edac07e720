package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that overlap an unfinished exchange (RFC 3261 §14.2, RFC 3311 §5.2): 491 for glare, 500 + Retry-After. */
class OverlapTest {

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @AfterEach
    void tearDown() {
        sip.close();
    }

    private static void assertRetryAfterWithinTenSeconds(String response) {
        assertEquals(500, status(response));
        String retryAfter = header(response, "Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 0 && seconds <= 10, retryAfter);
    }

    @Test
    void aReInviteBeforeTheAckOfThe200Gets500WithRetryAfter() {
        caller.invite(audio(1));
        caller.answer();
        assertRetryAfterWithinTenSeconds(caller.send("INVITE", audio(2, "sendonly")));
        assertRetryAfterWithinTenSeconds(caller.send("INVITE", null));
        caller.cseq = 101;
        caller.ack(null);
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void aReInviteWhileTheInviteIsStillRingingGets500WithRetryAfter() {
        caller.invite(audio(1));
        caller.call.ringing();
        caller.toTag = tag(header(sip.next(), "To"));
        assertRetryAfterWithinTenSeconds(caller.send("INVITE", audio(2)));
    }

    @Test
    void aReInviteWhileTheLastReInviteIsUnackedGets500WithRetryAfter() {
        caller.establish(audio(1));
        assertEquals(200, status(caller.send("INVITE", audio(2, "sendonly"))));
        assertRetryAfterWithinTenSeconds(caller.send("INVITE", audio(3)));
    }

    @Test
    void aReInviteOfferWhileOurOfferIsUnansweredIsGlare491() {
        caller.invite(null);
        caller.answer();
        String glare = caller.send("INVITE", audio(1));
        assertEquals("SIP/2.0 491 Request Pending", glare.substring(0, glare.indexOf("\r\n")));
    }

    @Test
    void anUpdateOfferWhileOurOfferIsUnansweredIsGlare491() {
        caller.invite(null);
        caller.answer();
        assertEquals(491, status(caller.send("UPDATE", audio(1))));
        caller.cseq = 101;
        caller.ack(audio(1));
        assertEquals(List.of("media sendrecv", "ack"), caller.listener.events,
                "our offer is still answered by the ACK");
    }

    @Test
    void anUpdateOfferBeforeOur200AnswersTheInviteOfferGets500WithRetryAfter() {
        caller.invite(audio(1));
        caller.call.ringing();
        caller.toTag = tag(header(sip.next(), "To"));
        assertRetryAfterWithinTenSeconds(caller.send("UPDATE", audio(2, "sendonly")));
        String ok = caller.answer();
        assertTrue(UdpHarness.body(ok).contains("a=sendrecv"), "the INVITE's offer is answered as it was");
    }

    @Test
    void anUpdateWithoutSdpInAnEarlyDialogIsFine() {
        caller.invite(audio(1));
        caller.call.ringing();
        caller.toTag = tag(header(sip.next(), "To"));
        String ok = caller.send("UPDATE", null);
        assertEquals(200, status(ok));
        assertNull(header(ok, "Content-Type"));
    }
}
