package gateway.library;

import java.util.Set;

/**
 * What call.json's log says about the conversation, beside what the recording measures ({@link CallAnalytics}):
 * turns per side, barge-ins (assistant turns the caller cut off), DTMF keys the caller pressed, tool calls, time on
 * hold and who ended the call. Derived from the log whenever a call.json is read or written, so it holds for files
 * of any age.
 *
 * @param hungUpBy {@link #CALLER}, {@link #AGENT} or {@link #OTHER} (the gateway, the network, a transfer)
 */
public record ConversationCounts(int callerTurns, int agentTurns, int bargeIns, int dtmfKeys, int toolCalls,
                                 long holdMs, String hungUpBy) {

    public static final String CALLER = "caller";
    public static final String AGENT = "agent";
    public static final String OTHER = "other";
    /** End reasons where the caller hung up: a BYE, or a CANCEL during early media. */
    private static final Set<String> BY_CALLER = Set.of("caller_bye", "cancelled");
    /** End reasons where the agent ended the call: its end_call tool, or its goodbye to a silent caller. */
    private static final Set<String> BY_AGENT = Set.of("agent_hangup", "caller_silent");

    /** The counts of {@code record}'s log and end reason. */
    public static ConversationCounts of(CallRecord record) {
        CallLog log = record.log();
        int caller = 0;
        int agent = 0;
        int bargeIns = 0;
        for (Turn turn : log.turns()) {
            if (turn.role() == Role.CALLER) {
                caller++;
            } else {
                agent++;
                if (turn.interrupted()) {
                    bargeIns++;
                }
            }
        }
        int keys = (int) log.keys().stream().filter(k -> KeyPress.INBOUND.equals(k.direction())).count();
        long holdMs = log.holds().stream().mapToLong(h -> Math.max(0, h.endMs() - h.startMs())).sum();
        return new ConversationCounts(caller, agent, bargeIns, keys, log.tools().size(), holdMs,
                hungUpBy(record.endReason()));
    }

    /** Who ended a call that ended for {@code endReason}. */
    static String hungUpBy(String endReason) {
        if (endReason == null) {
            return OTHER;
        }
        if (BY_CALLER.contains(endReason)) {
            return CALLER;
        }
        return BY_AGENT.contains(endReason) ? AGENT : OTHER;
    }
}
