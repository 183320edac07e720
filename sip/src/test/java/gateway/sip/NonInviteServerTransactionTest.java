package gateway.sip;

import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static gateway.sip.UdpHarness.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2): retransmissions absorbed with the same response until timer J.
 */
class NonInviteServerTransactionTest {

    private final UdpHarness sip = new UdpHarness();

    @AfterEach
    void tearDown() {
        sip.close();
    }

    @Test
    void aRetransmissionGetsTheSameResponseUntilTimerJThenIsANewRequest() {
        String options = SipTestMessages.options("z9hG4bK-j");
        sip.send(options);
        String ok = sip.next();
        assertEquals(1, sip.core.transactionCount());
        sip.scheduler.advanceMillis(31_999);
        sip.send(options);
        assertEquals(ok, sip.next(), "same bytes, same To-tag: absorbed by the transaction");
        sip.scheduler.advanceMillis(1);
        assertEquals(0, sip.core.transactionCount());
        sip.send(options);
        String again = sip.next();
        assertEquals(200, status(again));
        assertNotEquals(tag(header(ok, "To")), tag(header(again, "To")), "a new transaction answered");
    }
}
