package gateway.qa;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Short-lived, one-use tickets for the listen socket. A browser cannot put an {@code Authorization} header on a
 * WebSocket, and a token in the URL would end up in logs and history; so a client with the token asks {@code POST
 * /api/calls/{id}/listen-ticket} for a ticket and presents it in the {@code Sec-WebSocket-Protocol} header as
 * {@code ticket.<ticket>}. A ticket holds 256 random bits, names one call, lasts {@value #TTL_SECONDS} s and is gone
 * once presented. At most {@value #MAX_TICKETS} are outstanding. Safe from any thread.
 */
final class ListenTickets {

    static final long TTL_SECONDS = 30;
    static final int MAX_TICKETS = 1_000;
    /** The subprotocol entry that carries a ticket. */
    static final String PREFIX = "ticket.";
    private static final int TICKET_BYTES = 32;

    private record Ticket(String callId, long expiresNanos) {
    }

    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier nanoTime;

    ListenTickets(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A new ticket for the call with this id; null when too many are outstanding. */
    String issue(String callId) {
        long now = nanoTime.getAsLong();
        tickets.values().removeIf(t -> t.expiresNanos() - now <= 0);
        if (tickets.size() >= MAX_TICKETS) {
            return null;
        }
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tickets.put(ticket, new Ticket(callId, now + TimeUnit.SECONDS.toNanos(TTL_SECONDS)));
        return ticket;
    }

    /**
     * True when {@code subprotocols} (the {@code Sec-WebSocket-Protocol} header, may be null) carries a live ticket
     * for {@code callId}; the ticket is used up either way.
     */
    boolean redeem(String subprotocols, String callId) {
        if (subprotocols == null) {
            return false;
        }
        for (String entry : subprotocols.split(",")) {
            String p = entry.strip();
            if (p.startsWith(PREFIX)) {
                Ticket t = tickets.remove(p.substring(PREFIX.length()));
                if (t != null && t.callId().equals(callId) && t.expiresNanos() - nanoTime.getAsLong() > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
