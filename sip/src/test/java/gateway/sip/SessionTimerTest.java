package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.headers;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session timers as UAS (RFC 4028): the interval we answer, 422, our refreshes and the expiry, on the manual clock. */
class SessionTimerTest {

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @BeforeEach
    void noRouteSet() {
        caller.recordRoute = false;
    }

    @AfterEach
    void tearDown() {
        sip.close();
    }

    @Test
    void ciscosMinSeWithTwoSpacesIsNeverAnsweredBelow() {
        caller.inviteHeaders = "Supported: timer\r\nSession-Expires: 7200\r\nMin-SE:  1900\r\n";
        String ok = caller.establish(audio(1));
        assertEquals("1900;refresher=uac", header(ok, "Session-Expires"),
                "we prefer 1800 s but never go below the offered Min-SE");
        assertEquals(List.of("timer"), headers(ok, "Require"));
        assertEquals("100rel, timer", header(ok, "Supported").replace(",", ", ").replace(",  ", ", "));
        assertTrue(header(ok, "Allow").contains("UPDATE"), header(ok, "Allow"));
    }

    @Test
    void anIntervalBelowTheMinimumGets422WithOurMinSe() {
        caller.inviteHeaders = "Session-Expires: 60\r\n";
        sip.send(caller.request("INVITE", caller.newBranch(), caller.cseq, null, Caller.CONTACT, audio(1)));
        assertEquals(100, status(sip.next()));
        String tooSmall = sip.next();
        assertEquals(422, status(tooSmall));
        assertEquals("90", header(tooSmall, "Min-SE"));
        assertTrue(sip.calls.isEmpty(), "no call for a refused INVITE");
    }

    @Test
    void anIntervalBelowTheRequestsOwnMinSeGets422WithThatMinSe() {
        caller.inviteHeaders = "Session-Expires: 1000\r\nMin-SE: 1800\r\n";
        sip.send(caller.request("INVITE", caller.newBranch(), caller.cseq, null, Caller.CONTACT, audio(1)));
        assertEquals(100, status(sip.next()));
        String tooSmall = sip.next();
        assertEquals(422, status(tooSmall));
        assertEquals("1800", header(tooSmall, "Min-SE"));
    }

    @Test
    void aReInviteWithTooSmallAnIntervalGets422AndChangesNothing() {
        caller.establish(audio(1));
        String response = caller.sendWith("UPDATE", "Session-Expires: 30\r\n");
        assertEquals(422, status(response));
        assertEquals("90", header(response, "Min-SE"));
    }

    @Test
    void withoutSessionExpiresThereIsNoTimer() {
        String ok = caller.establish(audio(1));
        assertNull(header(ok, "Session-Expires"));
        sip.scheduler.advanceMillis(3_600_000);
        sip.assertNothingSent();
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void asRefresherWeSendAnUpdateAtHalfTheIntervalAndItsAnswerRestartsTheTimer() {
        caller.inviteHeaders = "Session-Expires: 90;refresher=uas\r\n";
        String ok = caller.establish(audio(1));
        assertEquals("90;refresher=uas", header(ok, "Session-Expires"));
        assertEquals(List.of(), headers(ok, "Require"), "Require: timer only when the caller refreshes");
        sip.scheduler.advanceMillis(44_999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        String update = sip.next();
        assertEquals("UPDATE sip:alice@192.0.2.10:5062 SIP/2.0", update.substring(0, update.indexOf("\r\n")));
        assertEquals("90;refresher=uac", header(update, "Session-Expires"));
        assertEquals("1 UPDATE", header(update, "CSeq"));
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(update, "Contact"));
        assertEquals("", body(update));
        sip.send(SipTestMessages.responseTo(update, 200, "OK")
                .replace("Content-Length: 0", "Session-Expires: 90;refresher=uac\r\nContent-Length: 0"));
        sip.scheduler.advanceMillis(44_999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals("2 UPDATE", header(sip.next(), "CSeq"), "the 200 restarted the timer");
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void aCallerWithoutUpdateIsRefreshedByReInviteWithTheSameSdpAndWeAckItsAnswer() {
        caller.inviteHeaders = "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\nSession-Expires: 120;refresher=uas\r\n";
        String ok = caller.establish(audio(1));
        assertEquals("0 101", body(ok).lines().filter(line -> line.startsWith("m=")).findFirst().orElseThrow()
                .substring("m=audio 40000 RTP/AVP ".length()));
        sip.scheduler.advanceMillis(60_000);
        String reInvite = sip.next();
        assertEquals("INVITE sip:alice@192.0.2.10:5062 SIP/2.0", reInvite.substring(0, reInvite.indexOf("\r\n")));
        assertEquals("120;refresher=uac", header(reInvite, "Session-Expires"));
        assertEquals("application/sdp", header(reInvite, "Content-Type"));
        assertTrue(body(reInvite).contains("\r\nm=audio 40000 RTP/AVP 0 9 8 101\r\n"), "the codec in use first");
        assertEquals(Caller.sessionId(ok), Caller.sessionId(reInvite));
        sip.send(SipTestMessages.responseTo(reInvite, 200, "OK").replace("Content-Length: 0\r\n\r\n",
                "Contact: " + Caller.CONTACT + "\r\n"
                        + "Session-Expires: 120;refresher=uac\r\nContent-Type: application/sdp\r\n"
                        + "Content-Length: " + audio(2).length() + "\r\n\r\n" + audio(2)));
        String ack = sip.next();
        assertEquals("ACK sip:alice@192.0.2.10:5062 SIP/2.0", ack.substring(0, ack.indexOf("\r\n")));
        assertEquals("1 ACK", header(ack, "CSeq"));
        sip.scheduler.advanceMillis(59_999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals("2 INVITE", header(sip.next(), "CSeq"));
    }

    @Test
    void anUnrefreshedSessionEndsWithOurByeAtTheLatestThirtyTwoSecondsBeforeItExpires() {
        caller.inviteHeaders = "Supported: timer\r\nSession-Expires: 120\r\n";
        String ok = caller.establish(audio(1));
        assertEquals("120;refresher=uac", header(ok, "Session-Expires"));
        sip.scheduler.advanceMillis(87_999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        String bye = sip.next();
        assertEquals("BYE sip:alice@192.0.2.10:5062 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
        assertEquals(List.of("ack", "sessionExpired"), caller.listener.events);
        sip.send(SipTestMessages.responseTo(bye, 200, "OK"));
        assertEquals(List.of("ack", "sessionExpired", "terminated"), caller.listener.events);
    }

    @Test
    void theCallersRefreshRestartsTheTimer() {
        caller.inviteHeaders = "Supported: timer\r\nSession-Expires: 90\r\n";
        caller.establish(audio(1));
        sip.scheduler.advanceMillis(50_000);
        String refreshed = caller.sendWith("UPDATE", "Supported: timer\r\nSession-Expires: 90;refresher=uac\r\n");
        assertEquals(200, status(refreshed));
        assertEquals("90;refresher=uac", header(refreshed, "Session-Expires"));
        assertEquals(List.of("timer"), headers(refreshed, "Require"));
        sip.scheduler.advanceMillis(59_999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals("BYE", sip.next().substring(0, 3));
        assertEquals(List.of("ack", "sessionExpired"), caller.listener.events);
    }

    @Test
    void aCallerThatNeverAnswersOurRefreshIsHungUpWhenTheSessionExpires() {
        caller.inviteHeaders = "Session-Expires: 90;refresher=uas\r\n";
        caller.establish(audio(1));
        sip.scheduler.advanceMillis(45_000);
        assertEquals("1 UPDATE", header(sip.next(), "CSeq"));
        sip.scheduler.advanceMillis(14_999);
        assertEquals(List.of("ack"), caller.listener.events);
        sip.scheduler.advanceMillis(1);
        assertEquals(List.of("ack", "sessionExpired"), caller.listener.events);
        List<String> sent = sip.drain();
        assertTrue(sent.get(sent.size() - 1).startsWith("BYE "), sent.get(sent.size() - 1));
        sip.scheduler.advanceMillis(30_000);
        assertTrue(sip.drain().stream().noneMatch(message -> message.startsWith("UPDATE")),
                "the refresh's transaction ended with the dialog");
    }
}
