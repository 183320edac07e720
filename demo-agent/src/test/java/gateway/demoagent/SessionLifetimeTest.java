package gateway.demoagent;

import static gateway.demoagent.WireClient.ID_DIGITS;
import static gateway.demoagent.WireClient.WAIT_MS;
import static gateway.demoagent.WireClient.assertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Session ids, {@code expires_at} and the session_expired sequence at the maximum age (protocol doc §5.5). */
class SessionLifetimeTest {

    private static final String EXPIRED = "Your session hit the maximum duration of 60 minutes.";
    private static final String EXPIRED_ERROR = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"code\":\"session_expired\",\"message\":\"" + EXPIRED + "\",\"param\":null,\"event_id\":null}}";

    /** Whole seconds at or after {@code epochMs}. */
    private static long ceilSeconds(long epochMs) {
        return (epochMs + 999) / 1000;
    }

    @Test
    void sessionCreatedAndUpdatedCarryTheSessionIdAndAnExpiryAnHourAhead() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            long before = System.currentTimeMillis();
            WireClient client = WireClient.open(agent.url());
            long after = System.currentTimeMillis();
            JsonNode created = client.next("session.created");
            String id = created.at("/session/id").asText();
            assertTrue(id.matches("sess" + ID_DIGITS), id);
            long expiresAt = created.at("/session/expires_at").asLong();
            assertTrue(expiresAt >= ceilSeconds(before + 3_600_000) && expiresAt <= ceilSeconds(after + 3_600_000),
                    "expires_at " + expiresAt + " is the opening time + 3600 s, rounded up");
            assertEquals(id, agent.connection(1).sessionId());

            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                    + "\"instructions\":\"Be brief.\"}}");
            JsonNode updated = client.next("session.updated");
            assertEquals(id, updated.at("/session/id").asText());
            assertEquals(expiresAt, updated.at("/session/expires_at").asLong());
            assertEquals("Be brief.", updated.at("/session/instructions").asText());
        }
    }

    @Test
    void atTheMaximumAgeTheSessionGetsSessionExpiredThenClose1001WithTheSameReason() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withSessionSeconds(1))) {
            long before = System.currentTimeMillis();
            WireClient client = WireClient.open(agent.url());
            long after = System.currentTimeMillis();
            long expiresAt = client.next("session.created").at("/session/expires_at").asLong();
            assertTrue(expiresAt >= ceilSeconds(before + 1000) && expiresAt <= ceilSeconds(after + 1000),
                    "expires_at " + expiresAt);

            assertEvent(EXPIRED_ERROR, client.next("error"));
            assertEquals(new WireClient.Closed(1001, EXPIRED), client.nextClose());
            assertTrue(System.currentTimeMillis() - before >= 1000, "not before the session's age");
            assertEquals(new DemoConnection.Ending(DemoConnection.How.CLOSE_SENT, 1001, EXPIRED),
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void expireAfterMsEndsOnlyThatConnectionAndItsExpiresAtAnnouncesIt() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().expireAfterMs(2, 300))) {
            long before1 = System.currentTimeMillis();
            WireClient first = WireClient.open(agent.url());
            long first1 = first.next("session.created").at("/session/expires_at").asLong();
            assertTrue(first1 >= ceilSeconds(before1 + 3_600_000), "connection 1 keeps the hour: " + first1);

            long before = System.currentTimeMillis();
            WireClient second = WireClient.open(agent.url());
            long after = System.currentTimeMillis();
            long expiresAt = second.next("session.created").at("/session/expires_at").asLong();
            assertTrue(expiresAt >= ceilSeconds(before + 300) && expiresAt <= ceilSeconds(after + 300),
                    "expires_at " + expiresAt + " is the opening time + 300 ms, rounded up to the second");
            assertEvent(EXPIRED_ERROR, second.next("error"));
            assertEquals(new WireClient.Closed(1001, EXPIRED), second.nextClose());
            long lived = System.currentTimeMillis() - before;
            assertTrue(lived >= 300 && lived < 300 + WAIT_MS, "expired after " + lived + " ms");
            agent.connection(2).ended().get(WAIT_MS, TimeUnit.MILLISECONDS);

            first.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}");
            first.next("session.updated");
            assertFalse(agent.connection(1).ended().isDone());
            assertEquals(List.of("session.update"), agent.connection(1).receivedTypes());
            assertEquals(2, agent.awaitConnection(2, Duration.ZERO).number());
        }
    }
}
