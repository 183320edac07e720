package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our BYE in its non-INVITE client transaction (RFC 3261 §17.1.2): timers E, F and K, matching by branch and method.
 */
class ByeClientTransactionTest {

    private static final InetSocketAddress FIRST_ROUTE = new InetSocketAddress("192.0.2.20", 5070);

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);
    private String bye;

    @BeforeEach
    void hangUp() {
        caller.establish(audio(1));
        caller.call.hangup();
        bye = sip.nextTo(FIRST_ROUTE);
        assertTrue(bye.startsWith("BYE "), bye);
    }

    @AfterEach
    void tearDown() {
        sip.close();
    }

    /** Advances to {@code untilMs} after the BYE one millisecond at a time; returns when BYEs went out (ms). */
    private List<Integer> byesUntil(int fromMs, int untilMs) {
        List<Integer> times = new ArrayList<>();
        for (int ms = fromMs + 1; ms <= untilMs; ms++) {
            sip.scheduler.advanceMillis(1);
            if (sip.channel.outboundMessages().peek() != null) {
                assertEquals(bye, sip.nextTo(FIRST_ROUTE));
                times.add(ms);
            }
        }
        return times;
    }

    private void respond(int status, String reason) {
        sip.send(SipTestMessages.responseTo(bye, status, reason).getBytes(StandardCharsets.UTF_8), FIRST_ROUTE);
    }

    @Test
    void timerERetransmitsFromT1DoublingToT2AndTimerFEndsTheCallAt64T1() {
        assertEquals(List.of(500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500),
                byesUntil(0, 31_999));
        assertEquals(List.of("ack"), caller.listener.events);
        sip.scheduler.advanceMillis(1);
        assertEquals(List.of("ack", "terminated"), caller.listener.events);
        sip.scheduler.advanceMillis(60_000);
        sip.assertNothingSent();
    }

    @Test
    void aProvisionalResponseSlowsTimerEToT2() {
        assertEquals(List.of(500), byesUntil(0, 600));
        respond(100, "Trying");
        assertEquals(List.of(1500, 5500, 9500), byesUntil(600, 10_000));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void theFinalResponseEndsTheCallAndTimerKAbsorbsItsRetransmissionsForT4() {
        int before = sip.core.transactionCount();
        respond(200, "OK");
        assertEquals(List.of("ack", "terminated"), caller.listener.events);
        respond(200, "OK");
        sip.scheduler.advanceMillis(4999);
        sip.assertNothingSent();
        assertEquals(before, sip.core.transactionCount(), "the client transaction lingers in Completed");
        sip.scheduler.advanceMillis(1);
        assertEquals(before - 1, sip.core.transactionCount(), "timer K ended it");
        assertEquals(List.of("ack", "terminated"), caller.listener.events);
    }

    @Test
    void aResponseWithAnotherMethodOrBranchMatchesNothing() {
        sip.send(SipTestMessages.responseTo(bye, 200, "OK").replace(" BYE\r\n", " INFO\r\n")
                .getBytes(StandardCharsets.UTF_8), FIRST_ROUTE);
        String branch = header(bye, "Via").split("branch=")[1].split(";")[0];
        sip.send(SipTestMessages.responseTo(bye, 200, "OK").replace(branch, branch + "x")
                .getBytes(StandardCharsets.UTF_8), FIRST_ROUTE);
        assertEquals(List.of("ack"), caller.listener.events);
        assertEquals(List.of(500), byesUntil(0, 500));
    }

    @Test
    void anErrorResponseEndsTheCallToo() {
        respond(481, "Call/Transaction Does Not Exist");
        assertEquals(List.of("ack", "terminated"), caller.listener.events);
        assertEquals(0, sip.core.dialogCount());
    }

    @Test
    void aByeFromTheCallerWhileOursIsPendingEndsBothOnce() {
        caller.cseq++;
        sip.send(caller.request("BYE", caller.newBranch(), caller.cseq, caller.toTag, null, null));
        assertEquals(200, UdpHarness.status(sip.next()));
        assertEquals(List.of("ack", "remoteBye", "terminated"), caller.listener.events);
        sip.scheduler.advanceMillis(60_000);
        sip.assertNothingSent();
    }
}
