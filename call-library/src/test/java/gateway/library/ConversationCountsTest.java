package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counts call.json's log gives, and who hung up by each end reason. */
class ConversationCountsTest {

    private static final CallMetadata META = new CallMetadata("20261130T120000Z-0000beef", "c@x", "sip:a@x",
            "sip:b@y", Instant.parse("2026-11-30T12:00:00Z"), "PCMU");

    @Test
    void turnsBargeInsCallerKeysToolsAndHoldTimeAreCounted() {
        CallLog log = new CallLog(List.of(new Turn(Role.CALLER, 0, 1000, "a", "1", false),
                new Turn(Role.ASSISTANT, 1500, 3000, "b", "2", true),
                new Turn(Role.CALLER, 2800, 4000, "c", "3", false),
                new Turn(Role.ASSISTANT, 4500, 5000, "d", "4", false)),
                List.of(new HoldPeriod(6000, 8000), new HoldPeriod(9000, 9500)), List.of(), List.of(), null, null,
                List.of(new KeyPress('5', 100, 80, KeyPress.INBOUND), new KeyPress('6', 300, 80, KeyPress.INBOUND),
                        new KeyPress('#', 500, 80, KeyPress.OUTBOUND)),
                List.of(new ToolCall("lookup", "c1", null, 700, 800, 100, "{}", "{}", null)), null, List.of());
        ConversationCounts counts = ConversationCounts.of(new CallRecord(META, null, "caller_bye", 10_000, log,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE));
        assertEquals(new ConversationCounts(2, 2, 1, 2, 1, 2_500, ConversationCounts.CALLER), counts);
    }

    @Test
    void whoHungUpFollowsTheEndReason() {
        assertEquals("caller", ConversationCounts.hungUpBy("caller_bye"));
        assertEquals("caller", ConversationCounts.hungUpBy("cancelled"));
        assertEquals("agent", ConversationCounts.hungUpBy("agent_hangup"));
        assertEquals("agent", ConversationCounts.hungUpBy("caller_silent"));
        assertEquals("other", ConversationCounts.hungUpBy("realtime_lost"));
        assertEquals("other", ConversationCounts.hungUpBy(null));
    }
}
