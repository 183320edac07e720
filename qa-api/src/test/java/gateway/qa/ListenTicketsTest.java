package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Listen tickets: one call, one use, a short life, never guessed. */
class ListenTicketsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ListenTickets tickets = new ListenTickets(now::get);

    @Test
    void aTicketOpensItsCallOnceAndNoOther() {
        String ticket = tickets.issue("call-1");
        assertEquals(43, ticket.length(), "256 bits, base64url");
        assertNotEquals(ticket, tickets.issue("call-1"));
        assertFalse(tickets.redeem(ListenSocket.SUBPROTOCOL + ", ticket." + ticket, "call-2"), "another call");
        assertFalse(tickets.redeem("ticket." + ticket, "call-1"), "used up by the wrong try");
        String next = tickets.issue("call-1");
        assertTrue(tickets.redeem(ListenSocket.SUBPROTOCOL + ", ticket." + next, "call-1"));
        assertFalse(tickets.redeem(ListenSocket.SUBPROTOCOL + ", ticket." + next, "call-1"), "one use");
        assertFalse(tickets.redeem(null, "call-1"));
        assertFalse(tickets.redeem(ListenSocket.SUBPROTOCOL, "call-1"));
    }

    @Test
    void aTicketLastsThirtySeconds() {
        String ticket = tickets.issue("call-1");
        now.addAndGet(TimeUnit.SECONDS.toNanos(ListenTickets.TTL_SECONDS));
        assertFalse(tickets.redeem("ticket." + ticket, "call-1"));
    }
}
