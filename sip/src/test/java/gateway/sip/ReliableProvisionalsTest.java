package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reliable provisional responses (RFC 3262): RSeq, resending until PRACK, the 200 after the 183's PRACK. */
class ReliableProvisionalsTest {

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
    void aCallerThatRequires100relGetsA180WithRSeqResentUntilItsPrack() {
        caller.inviteHeaders = "Require: 100rel\r\n";
        caller.invite(audio(1));
        caller.call.ringing();
        String ringing = sip.next();
        assertEquals(180, status(ringing));
        assertEquals("100rel", header(ringing, "Require"));
        long rseq = Long.parseLong(header(ringing, "RSeq"));
        assertTrue(rseq >= 1 && rseq <= ReliableProvisionals.MAX_FIRST_RSEQ, String.valueOf(rseq));
        sip.scheduler.advanceMillis(499);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals(ringing, sip.next(), "resent after T1");
        sip.scheduler.advanceMillis(1000);
        assertEquals(ringing, sip.next(), "then after 2*T1");
        caller.toTag = tag(header(ringing, "To"));
        String prackOk = caller.sendWith("PRACK", "RAck: " + rseq + " 101 INVITE\r\n");
        assertEquals(200, status(prackOk));
        assertEquals("102 PRACK", header(prackOk, "CSeq"));
        sip.scheduler.advanceMillis(10_000);
        sip.assertNothingSent();
        caller.cseq = 101;
        String ok = caller.answer();
        assertEquals("101 INVITE", header(ok, "CSeq"));
        assertNull(header(ok, "RSeq"));
    }

    @Test
    void aPrackForNoOutstandingResponseGets481() {
        caller.inviteHeaders = "Supported: 100rel\r\n";
        caller.invite(audio(1));
        caller.call.ringing();
        String ringing = sip.next();
        long rseq = Long.parseLong(header(ringing, "RSeq"));
        caller.toTag = tag(header(ringing, "To"));
        assertEquals(481, status(caller.sendWith("PRACK", "RAck: " + (rseq + 1) + " 101 INVITE\r\n")));
        assertEquals(200, status(caller.sendWith("PRACK", "RAck: " + rseq + " 101 INVITE\r\n")));
        assertEquals(481, status(caller.sendWith("PRACK", "RAck: " + rseq + " 101 INVITE\r\n")),
                "already acknowledged");
    }

    @Test
    void aPrackOvertakenByOur200IsStillAnswered200AndNothingIsResentAfterThe200() {
        caller.inviteHeaders = "Supported: 100rel\r\n";
        caller.invite(audio(1));
        caller.call.ringing();
        String ringing = sip.next();
        long rseq = Long.parseLong(header(ringing, "RSeq"));
        caller.answer();
        sip.scheduler.advanceMillis(499);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals(200, status(sip.next()), "only the 200 is resent until the ACK, the 180 no more");
        caller.cseq = 101;
        caller.ack(null);
        assertEquals(200, status(caller.sendWith("PRACK", "RAck: " + rseq + " 101 INVITE\r\n")),
                "RFC 3262 §3: the 180 was never acknowledged, so its PRACK matches it");
        sip.scheduler.advanceMillis(40_000);
        sip.assertNothingSent();
    }

    @Test
    void withoutSupportFor100relThe180GoesOnceWithoutRSeq() {
        caller.invite(audio(1));
        caller.call.ringing();
        String ringing = sip.next();
        assertEquals(180, status(ringing));
        assertNull(header(ringing, "RSeq"));
        assertNull(header(ringing, "Require"));
        sip.scheduler.advanceMillis(5_000);
        sip.assertNothingSent();
    }

    @Test
    void earlyMediaGoesInAReliable183AndThe200WaitsForItsPrack() {
        caller.inviteHeaders = "Supported: 100rel\r\n";
        caller.invite(audio(1));
        CompletableFuture<Boolean> early = caller.call.earlyMedia(Caller.RTP_HOST, Caller.RTP_PORT);
        String progress = sip.next();
        assertTrue(early.join());
        assertEquals(183, status(progress));
        assertEquals("application/sdp", header(progress, "Content-Type"));
        assertTrue(body(progress).contains("m=audio 40000 RTP/AVP 0 101"), body(progress));
        long rseq = Long.parseLong(header(progress, "RSeq"));
        CompletableFuture<Boolean> answered = caller.call.answer(Caller.RTP_HOST, Caller.RTP_PORT);
        sip.assertNothingSent();
        assertFalse(answered.isDone(), "no 2xx before the PRACK of the 183 with our answer (RFC 3262 §3)");
        caller.toTag = tag(header(progress, "To"));
        assertEquals(200, status(caller.sendWith("PRACK", "RAck: " + rseq + " 101 INVITE\r\n")));
        String ok = sip.next();
        assertEquals(200, status(ok));
        assertEquals("101 INVITE", header(ok, "CSeq"));
        assertEquals(body(progress), body(ok), "the 200 repeats the 183's answer");
        assertTrue(answered.join());
        caller.cseq = 101;
        caller.ack(null);
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void noPrackWithin64T1GivesTheInviteUpWith500() {
        caller.inviteHeaders = "Require: 100rel\r\n";
        caller.invite(audio(1));
        caller.call.ringing();
        assertEquals(180, status(sip.next()));
        String last = null;
        for (int i = 0; i < 40 && last == null; i++) {
            sip.scheduler.advanceMillis(1_000);
            String sent;
            while ((sent = sip.poll()) != null) {
                if (status(sent) != 180) {
                    last = sent;
                }
            }
        }
        assertEquals(500, status(last));
        assertEquals(List.of("terminated"), caller.listener.events);
    }

    @Test
    void aLateOfferThatRequires100relGetsNo180SinceOurOfferMustGoInTheFirstReliableResponse() {
        caller.inviteHeaders = "Require: 100rel\r\n";
        caller.invite(null);
        caller.call.ringing();
        sip.assertNothingSent();
        assertFalse(caller.call.earlyMedia(Caller.RTP_HOST, Caller.RTP_PORT).join());
        String ok = caller.answer();
        assertEquals("application/sdp", header(ok, "Content-Type"));
    }
}
