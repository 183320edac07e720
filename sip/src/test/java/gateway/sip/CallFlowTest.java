package gateway.sip;

import static gateway.sip.SipTestMessages.OFFER;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.headers;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallFlowTest {

    private static final String INVITE_BRANCH = "z9hG4bK-inv-1";
    private final UdpHarness sip = new UdpHarness();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void tearDown() {
        sip.close();
    }

    /** Sends the INVITE, checks the 100 and returns the call. */
    private InboundCall invite() {
        sip.send(SipTestMessages.invite(INVITE_BRANCH, OFFER));
        String trying = sip.next();
        assertEquals("SIP/2.0 100 Trying", trying.substring(0, trying.indexOf("\r\n")));
        assertNull(tag(header(trying, "To")), "100 carries no To-tag");
        assertEquals(1, sip.calls.size());
        InboundCall call = sip.calls.get(0);
        call.setListener(listener);
        return call;
    }

    /** INVITE, answer, and returns the To-tag of the 200. */
    private String answered(InboundCall call) {
        call.answer("203.0.113.5", 40000);
        String ok = sip.next();
        assertEquals(200, status(ok));
        return tag(header(ok, "To"));
    }

    @Test
    void inviteRingAnswerAckAndRemoteBye() {
        InboundCall call = invite();
        assertEquals("call-1@192.0.2.10", call.callId());
        assertEquals("sip:alice@example.com", call.fromUri());
        assertEquals("sip:agent@example.net", call.toUri());
        assertEquals(new InetSocketAddress("192.0.2.10", 5062), call.source());
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, 101, 20, MediaDirection.SENDRECV,
                new InetSocketAddress("192.0.2.10", 49170)), call.offeredMedia().orElseThrow());

        call.ringing();
        String ringing = sip.next();
        assertEquals(180, status(ringing));
        String toTag = tag(header(ringing, "To"));
        assertNotNull(toTag);
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(ringing, "Contact"));
        assertEquals("SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-inv-1;rport=5062;received=192.0.2.10",
                header(ringing, "Via"));

        sip.send(SipTestMessages.invite(INVITE_BRANCH, OFFER));
        assertEquals(ringing, sip.next(), "a retransmitted INVITE gets the last provisional again");
        assertEquals(1, sip.calls.size(), "no second onInvite");

        call.answer("203.0.113.5", 40000);
        String ok = sip.next();
        assertEquals(200, status(ok));
        assertEquals(toTag, tag(header(ok, "To")));
        assertEquals("application/sdp", header(ok, "Content-Type"));
        assertEquals("test-gw/1.0", header(ok, "Server"));
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(ok, "Contact"));
        String recordRoute = String.join(",", headers(ok, "Record-Route"));
        assertEquals("<sip:192.0.2.20:5070;lr>,<sip:192.0.2.30;lr>", recordRoute.replace(", ", ","));
        String sdp = body(ok);
        assertTrue(sdp.contains("\r\nc=IN IP4 203.0.113.5\r\n"), sdp);
        assertTrue(sdp.contains("\r\nm=audio 40000 RTP/AVP 0 101\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=rtpmap:0 PCMU/8000\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=rtpmap:101 telephone-event/8000\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=ptime:20\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=sendrecv\r\n"), sdp);
        assertEquals(sdp.length(), Integer.parseInt(header(ok, "Content-Length")));

        // RFC 3261 §13.3.1.4: retransmissions at 500, 1500, 3500 ms.
        sip.scheduler.advanceMillis(499);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals(ok, sip.next());
        sip.scheduler.advanceMillis(999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals(ok, sip.next());
        sip.scheduler.advanceMillis(2000);
        assertEquals(ok, sip.next());

        sip.send(SipTestMessages.ack("z9hG4bK-ack-1", toTag, "101"));
        assertEquals(List.of("ack"), listener.events);
        sip.scheduler.advanceMillis(40_000);
        sip.assertNothingSent();
        sip.send(SipTestMessages.ack("z9hG4bK-ack-1", toTag, "101"));
        assertEquals(List.of("ack"), listener.events, "onAck once");

        sip.send(SipTestMessages.bye("z9hG4bK-bye-1", toTag));
        String byeOk = sip.next();
        assertEquals(200, status(byeOk));
        assertEquals("102 BYE", header(byeOk, "CSeq"));
        assertEquals(toTag, tag(header(byeOk, "To")));
        assertEquals(List.of("ack", "remoteBye", "terminated"), listener.events);

        sip.send(SipTestMessages.bye("z9hG4bK-bye-1", toTag));
        assertEquals(byeOk, sip.next(), "retransmitted BYE gets the cached 200");
        sip.send(SipTestMessages.bye("z9hG4bK-bye-2", toTag));
        assertEquals(481, status(sip.next()));
        assertEquals(0, sip.core.dialogCount());
    }

    @Test
    void gatewayHangupSendsByeAlongTheRouteSet() {
        InboundCall call = invite();
        String toTag = answered(call);
        sip.send(SipTestMessages.ack("z9hG4bK-ack-1", toTag, "101"));
        call.hangup();

        InetSocketAddress firstRoute = new InetSocketAddress("192.0.2.20", 5070);
        String bye = sip.nextTo(firstRoute);
        assertEquals("BYE sip:alice@192.0.2.10:5062 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
        assertEquals(List.of("<sip:192.0.2.20:5070;lr>,<sip:192.0.2.30;lr>"), headers(bye, "Route"),
                "Record-Route order kept");
        assertTrue(header(bye, "From").startsWith("<sip:agent@example.net>"), header(bye, "From"));
        assertEquals(toTag, tag(header(bye, "From")));
        assertTrue(header(bye, "To").contains("sip:alice@example.com"), header(bye, "To"));
        assertEquals(SipTestMessages.FROM_TAG, tag(header(bye, "To")));
        assertEquals("call-1@192.0.2.10", header(bye, "Call-ID"));
        assertEquals("1 BYE", header(bye, "CSeq"));
        assertTrue(header(bye, "Via").startsWith("SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK"), header(bye, "Via"));
        assertEquals("test-gw/1.0", header(bye, "User-Agent"));

        sip.scheduler.advanceMillis(500);
        assertEquals(bye, sip.nextTo(firstRoute));
        sip.scheduler.advanceMillis(999);
        sip.assertNothingSent();
        sip.scheduler.advanceMillis(1);
        assertEquals(bye, sip.nextTo(firstRoute));

        sip.send(SipTestMessages.responseTo(bye, 200, "OK").getBytes(), firstRoute);
        assertEquals(List.of("ack", "terminated"), listener.events);
        sip.scheduler.advanceMillis(60_000);
        sip.assertNothingSent();
        call.hangup();
        sip.assertNothingSent();
    }

    @Test
    void noAckMeansAckTimeoutThenBye() {
        InboundCall call = invite();
        answered(call);
        int retransmissions = 0;
        for (int ms = 0; ms < 31_999; ms++) {
            sip.scheduler.advanceMillis(1);
            if (sip.channel.outboundMessages().peek() != null) {
                assertEquals(200, status(sip.nextTo(UdpHarness.CALLER)));
                retransmissions++;
            }
        }
        // 500, 1500, 3500, 7500, then every 4 s: 11.5 ... 31.5 s.
        assertEquals(10, retransmissions);
        assertEquals(List.of(), listener.events);
        sip.scheduler.advanceMillis(1);
        assertEquals(List.of("ackTimeout"), listener.events);
        String bye = sip.nextTo(new InetSocketAddress("192.0.2.20", 5070));
        assertTrue(bye.startsWith("BYE sip:alice@192.0.2.10:5062 SIP/2.0\r\n"));
        sip.scheduler.advanceMillis(32_000);
        assertEquals(List.of("ackTimeout", "terminated"), listener.events, "timer F ends the BYE transaction");
        sip.channel.outboundMessages().forEach(m -> ((io.netty.util.ReferenceCounted) m).release());
        sip.channel.outboundMessages().clear();
    }

    @Test
    void hangupBeforeAckWaitsForTheAck() {
        InboundCall call = invite();
        String toTag = answered(call);
        call.hangup();
        sip.assertNothingSent();
        sip.send(SipTestMessages.ack("z9hG4bK-ack-1", toTag, "101"));
        assertEquals(List.of("ack"), listener.events);
        assertTrue(sip.nextTo(new InetSocketAddress("192.0.2.20", 5070)).startsWith("BYE "));
    }

    @Test
    void cancelBeforeAnswer() {
        InboundCall call = invite();
        call.ringing();
        String toTag = tag(header(sip.next(), "To"));
        sip.send(SipTestMessages.cancel(INVITE_BRANCH));
        String cancelOk = sip.next();
        assertEquals(200, status(cancelOk));
        assertEquals("101 CANCEL", header(cancelOk, "CSeq"));
        String terminated = sip.next();
        assertEquals("SIP/2.0 487 Request Terminated", terminated.substring(0, terminated.indexOf("\r\n")));
        assertEquals("101 INVITE", header(terminated, "CSeq"));
        assertEquals(toTag, tag(header(terminated, "To")));
        assertEquals(List.of("cancel", "terminated"), listener.events);

        sip.scheduler.advanceMillis(500);
        assertEquals(terminated, sip.next(), "487 retransmitted (timer G) until ACK");
        sip.send(SipTestMessages.ack(INVITE_BRANCH, toTag, "101"));
        sip.scheduler.advanceMillis(40_000);
        sip.assertNothingSent();
        call.answer("203.0.113.5", 40000);
        sip.assertNothingSent();
        assertEquals(0, sip.core.transactionCount(), "transactions forgotten after their linger");
    }

    @Test
    void cancelAfterAnswerOnlyGets200() {
        InboundCall call = invite();
        answered(call);
        sip.send(SipTestMessages.cancel(INVITE_BRANCH));
        assertEquals(200, status(sip.next()));
        sip.assertNothingSent();
        assertEquals(List.of(), listener.events);
    }

    @Test
    void cancelForUnknownTransactionGets481() {
        sip.send(SipTestMessages.cancel("z9hG4bK-nobody"));
        assertEquals(481, status(sip.next()));
    }

    @Test
    void rejectAndHangupBeforeAnswer() {
        InboundCall call = invite();
        call.reject(486, "Busy Here");
        String busy = sip.next();
        assertEquals("SIP/2.0 486 Busy Here", busy.substring(0, busy.indexOf("\r\n")));
        assertNotNull(tag(header(busy, "To")));
        assertEquals(List.of("terminated"), listener.events);
        call.hangup();
        sip.assertNothingSent();
        sip.send(SipTestMessages.ack(INVITE_BRANCH, tag(header(busy, "To")), "101"));
        sip.assertNothingSent();
    }

    @Test
    void referGoesAlongTheRouteSetWithReferToAndReferredByAndCompletesWithItsFinalStatus() throws Exception {
        InboundCall call = invite();
        String toTag = answered(call);
        assertEquals(481, call.refer("<sip:queue@pbx.example>", "<sip:agent@example.net>").get(),
                "no REFER before the dialog is confirmed");
        sip.assertNothingSent();
        sip.send(SipTestMessages.ack("z9hG4bK-ack-1", toTag, "101"));
        CompletableFuture<Integer> outcome = call.refer("<sip:queue@pbx.example?X-Call-Id=c-1&X-Transfer-Reason=a%20b>",
                "<sip:agent@example.net>");

        InetSocketAddress firstRoute = new InetSocketAddress("192.0.2.20", 5070);
        String refer = sip.nextTo(firstRoute);
        assertEquals("REFER sip:alice@192.0.2.10:5062 SIP/2.0", refer.substring(0, refer.indexOf("\r\n")));
        assertEquals(List.of("<sip:192.0.2.20:5070;lr>,<sip:192.0.2.30;lr>"), headers(refer, "Route"));
        assertEquals("<sip:queue@pbx.example?X-Call-Id=c-1&X-Transfer-Reason=a%20b>", header(refer, "Refer-To"));
        assertEquals("<sip:agent@example.net>", header(refer, "Referred-By"));
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(refer, "Contact"), "a target refresh request");
        assertEquals(toTag, tag(header(refer, "From")));
        assertEquals(SipTestMessages.FROM_TAG, tag(header(refer, "To")));
        assertEquals("1 REFER", header(refer, "CSeq"));
        assertFalse(outcome.isDone());
        sip.send(SipTestMessages.responseTo(refer, 202, "Accepted").getBytes(), firstRoute);
        assertEquals(202, outcome.get());
        assertEquals(List.of("ack"), listener.events, "the dialog goes on");
    }

    @Test
    void redirectBeforeTheAnswerSends302WithTheTargetAsContact() {
        InboundCall call = invite();
        call.redirect("sip:queue@pbx.example");
        String moved = sip.next();
        assertEquals("SIP/2.0 302 Moved Temporarily", moved.substring(0, moved.indexOf("\r\n")));
        assertEquals("<sip:queue@pbx.example>", header(moved, "Contact"));
        assertNotNull(tag(header(moved, "To")));
        assertEquals(List.of("terminated"), listener.events);
        call.redirect("sip:other@pbx.example");
        sip.assertNothingSent();
    }

    @Test
    void overloadRejectCarriesRetryAfter() {
        InboundCall call = invite();
        call.reject(503, "Service Unavailable", 5);
        String busy = sip.next();
        assertEquals("SIP/2.0 503 Service Unavailable", busy.substring(0, busy.indexOf("\r\n")));
        assertEquals("5", header(busy, "Retry-After"));
        assertEquals(List.of("terminated"), listener.events);
    }

    @Test
    void hangupBeforeAnswerRejects480() {
        InboundCall call = invite();
        call.hangup();
        assertEquals(480, status(sip.next()));
        assertEquals(List.of("terminated"), listener.events);
    }

    @Test
    void optionsGets200WithAllowAndAccept() {
        sip.send(SipTestMessages.options("z9hG4bK-opt-1"));
        String ok = sip.next();
        assertEquals(200, status(ok));
        assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, PRACK, INFO, NOTIFY",
                header(ok, "Allow").replace(",", ", ").replace(",  ", ", "));
        assertEquals("application/sdp", header(ok, "Accept"));
        assertEquals("1 OPTIONS", header(ok, "CSeq"));
        assertNotNull(tag(header(ok, "To")));
    }

    @Test
    void unknownMethodsGet501WithAllow() {
        for (String method : new String[] {"MESSAGE", "REFER"}) {
            sip.send(SipTestMessages.inDialog(method, "z9hG4bK-" + method, null, 5, "x-" + method));
            String response = sip.next();
            assertEquals(501, status(response), method);
            assertNotNull(header(response, "Allow"));
        }
    }

    @Test
    void byeForUnknownDialogGets481() {
        sip.send(SipTestMessages.bye("z9hG4bK-bye-x", "no-such-tag"));
        String response = sip.next();
        assertEquals(481, status(response));
        assertEquals("102 BYE", header(response, "CSeq"));
    }

    @Test
    void unsupportedRequireGets420NamingOnlyWhatWeLack() {
        String options = SipTestMessages.options("z9hG4bK-req")
                .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRequire: foo, 100rel\r\nRequire: timer, bar\r\n");
        sip.send(options);
        String response = sip.next();
        assertEquals(420, status(response));
        assertEquals("foo, bar", header(response, "Unsupported").replace(",", ", ").replace(",  ", ", "));
    }

    @Test
    void requiredExtensionsWeImplementAreServed() {
        String options = SipTestMessages.options("z9hG4bK-req2")
                .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRequire: 100rel\r\nRequire: timer\r\n");
        sip.send(options);
        String ok = sip.next();
        assertEquals(200, status(ok));
        assertEquals("100rel, timer", header(ok, "Supported").replace(",", ", ").replace(",  ", ", "));
    }

    @Test
    void g729OnlyOfferGets488WithoutOnInvite() {
        String g729 = OFFER.replace("m=audio 49170 RTP/AVP 0 8 101", "m=audio 49170 RTP/AVP 18")
                .replace("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n", "a=rtpmap:18 G729/8000\r\n");
        sip.send(SipTestMessages.invite(INVITE_BRANCH, g729));
        assertEquals(100, status(sip.next()));
        String rejected = sip.next();
        assertEquals(488, status(rejected));
        assertEquals(0, sip.calls.size());
        sip.scheduler.advanceMillis(500);
        assertEquals(rejected, sip.next());
        sip.send(SipTestMessages.ack(INVITE_BRANCH, tag(header(rejected, "To")), "101"));
        sip.scheduler.advanceMillis(10_000);
        sip.assertNothingSent();
    }

    @Test
    void rfc2543InviteWithoutContentLengthKeepsTheOfferToTheEndOfTheDatagram() {
        String invite = SipTestMessages.invite(INVITE_BRANCH, OFFER).replaceFirst("Content-Length: \\d+\r\n", "");
        sip.send(invite);
        assertEquals(100, status(sip.next()));
        assertEquals(new InetSocketAddress("192.0.2.10", 49170),
                sip.calls.get(0).offeredMedia().orElseThrow().remoteRtp(),
                "RFC 3261 §18.3: the body runs to the end of the datagram");
    }

    @Test
    void whenMaxDialogsAreOpenANewInviteGets503WithRetryAfterAndTheOthersStay() {
        // One source sends them all: its INVITE bucket is made deep enough that only the dialog limit speaks.
        try (UdpHarness crowded = new UdpHarness(call -> { }, new AccessSettings(SourcePolicy.OPEN_TO_ALL, null,
                new RateLimit(1, Dialogs.MAX_DIALOGS + 1), AccessSettings.DEFAULT_AUTH_FAILURES, List.of()))) {
            for (int i = 0; i < Dialogs.MAX_DIALOGS; i++) {
                crowded.send(SipTestMessages.invite("z9hG4bK-many-" + i, OFFER)
                        .replace(SipTestMessages.CALL_ID, "many-" + i));
                assertEquals(100, status(crowded.next()));
            }
            assertEquals(Dialogs.MAX_DIALOGS, crowded.core.dialogCount());
            crowded.send(SipTestMessages.invite("z9hG4bK-one-too-many", OFFER)
                    .replace(SipTestMessages.CALL_ID, "one-too-many"));
            String busy = crowded.next();
            assertEquals(503, status(busy));
            assertEquals(String.valueOf(SipCore.RETRY_AFTER_SECONDS), header(busy, "Retry-After"));
            crowded.calls.get(0).answer("203.0.113.5", 40000);
            assertEquals(200, status(crowded.next()), "the calls already there carry on");
        }
    }


    @Test
    void retransmittedInviteBeforeRingingGets100Again() {
        invite();
        sip.send(SipTestMessages.invite(INVITE_BRANCH, OFFER));
        assertEquals(100, status(sip.next()));
        assertEquals(1, sip.calls.size());
    }

    @Test
    void unmatchedResponseIsDropped() {
        sip.send(SipTestMessages.responseTo(SipTestMessages.options("z9hG4bK-foreign"), 200, "OK"));
        sip.assertNothingSent();
        sip.send(SipTestMessages.options("z9hG4bK-after"));
        assertEquals(200, status(sip.next()));
    }
}
