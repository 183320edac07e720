package gateway.library;

import java.util.List;

/**
 * What a call's recording says about the conversation, for QA to find the calls worth a listen: how long the caller
 * waited for the agent at their ear, how much both talked at once, the stretches of dead air, who talked how much.
 * Measured from the recorded signal in 20 ms frames ({@link ConversationAnalyzer}), so times are within 20 ms.
 *
 * @param responses           agent replies that followed caller speech after a pause (each gives one latency)
 * @param latencyP50Ms        median of those latencies: the end of the caller's speech to the agent's first sound
 * @param latencyP95Ms        95th percentile (nearest rank) of them
 * @param latencyMaxMs        the longest of them
 * @param talkOverMs          time both channels carried speech
 * @param talkOverCount       stretches of it
 * @param deadAirCount        stretches of at least the dead-air threshold where neither side spoke
 * @param longestDeadAirMs    the longest such stretch (0 when none)
 * @param callerTalkMs        time the caller's channel carried speech
 * @param agentTalkMs         time the agent's channel carried speech
 * @param longestMonologueMs  the agent's longest stretch of speech without a pause of 200 ms or more
 * @param replyGaps           where the caller waited for each reply: the end of their speech to the agent's first
 *                            sound, the first {@link #MAX_STRETCHES}
 * @param talkOvers           the first {@link #MAX_STRETCHES} stretches of talk-over
 * @param deadAirs            the first {@link #MAX_STRETCHES} stretches of dead air
 * @param remeasured          true when measured after the call, from its audio.wav ({@link AnalyticsBackfill}), for
 *                            a call recorded before the analytics existed; false when measured as it was recorded
 */
public record CallAnalytics(int responses, long latencyP50Ms, long latencyP95Ms, long latencyMaxMs, long talkOverMs,
                            int talkOverCount, int deadAirCount, long longestDeadAirMs, long callerTalkMs,
                            long agentTalkMs, long longestMonologueMs, List<Stretch> replyGaps,
                            List<Stretch> talkOvers, List<Stretch> deadAirs, boolean remeasured) {

    /** Stretches of each kind kept for the timeline: enough to mark a call; the counts above stay exact. */
    public static final int MAX_STRETCHES = 100;

    /** A span of recording time, in ms. */
    public record Stretch(long startMs, long endMs) {
    }

    public CallAnalytics {
        replyGaps = List.copyOf(replyGaps);
        talkOvers = List.copyOf(talkOvers);
        deadAirs = List.copyOf(deadAirs);
    }

    /** Analytics measured as the call was recorded. */
    public CallAnalytics(int responses, long latencyP50Ms, long latencyP95Ms, long latencyMaxMs, long talkOverMs,
                         int talkOverCount, int deadAirCount, long longestDeadAirMs, long callerTalkMs,
                         long agentTalkMs, long longestMonologueMs, List<Stretch> replyGaps,
                         List<Stretch> talkOvers, List<Stretch> deadAirs) {
        this(responses, latencyP50Ms, latencyP95Ms, latencyMaxMs, talkOverMs, talkOverCount, deadAirCount,
                longestDeadAirMs, callerTalkMs, agentTalkMs, longestMonologueMs, replyGaps, talkOvers, deadAirs,
                false);
    }

    /** Analytics without stretches (a call.json written before they were kept). */
    public CallAnalytics(int responses, long latencyP50Ms, long latencyP95Ms, long latencyMaxMs, long talkOverMs,
                         int talkOverCount, int deadAirCount, long longestDeadAirMs, long callerTalkMs,
                         long agentTalkMs, long longestMonologueMs) {
        this(responses, latencyP50Ms, latencyP95Ms, latencyMaxMs, talkOverMs, talkOverCount, deadAirCount,
                longestDeadAirMs, callerTalkMs, agentTalkMs, longestMonologueMs, List.of(), List.of(), List.of());
    }

    /** The same figures, marked as measured after the call from its audio.wav. */
    public CallAnalytics asRemeasured() {
        return new CallAnalytics(responses, latencyP50Ms, latencyP95Ms, latencyMaxMs, talkOverMs, talkOverCount,
                deadAirCount, longestDeadAirMs, callerTalkMs, agentTalkMs, longestMonologueMs, replyGaps, talkOvers,
                deadAirs, true);
    }

    /** The agent's share of the talk time, 0 to 1 (0 when nobody spoke). */
    public double agentTalkShare() {
        long total = callerTalkMs + agentTalkMs;
        return total == 0 ? 0 : (double) agentTalkMs / total;
    }
}
