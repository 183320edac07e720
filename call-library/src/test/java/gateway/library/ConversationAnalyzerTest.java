package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.testkit.PlantedSpeech;
import gateway.testkit.Signals;
import java.nio.IntBuffer;
import org.junit.jupiter.api.Test;

/**
 * Recordings with planted answers: tones on each channel where a side speaks, silence elsewhere, fed in uneven
 * pieces as the writer hands them over; every time comes back within one 20 ms frame.
 */
class ConversationAnalyzerTest {

    private static final int RATE = 24_000;

    /** A stereo timeline under construction, in ms ({@link PlantedSpeech}). */
    private static final class Recording {
        final PlantedSpeech speech;
        final short[] caller;
        final short[] agent;

        Recording(long ms) {
            speech = new PlantedSpeech(ms);
            caller = speech.callerChannel();
            agent = speech.agentChannel();
        }

        Recording caller(long fromMs, long toMs) {
            speech.caller(fromMs, toMs);
            return this;
        }

        Recording agent(long fromMs, long toMs) {
            speech.agent(fromMs, toMs);
            return this;
        }

        /** Fed as the writer does: packed frames, in pieces of 4096 frames or fewer. */
        CallAnalytics analyse(long deadAirMs) {
            ConversationAnalyzer analyzer = new ConversationAnalyzer(deadAirMs);
            IntBuffer piece = IntBuffer.allocate(4096);
            int at = 0;
            while (at < caller.length) {
                int n = Math.min(piece.capacity() - (at % 7), caller.length - at);
                for (int i = 0; i < n; i++) {
                    piece.put(i, (caller[at + i] & 0xFFFF) | (agent[at + i] << 16));
                }
                analyzer.add(piece, n);
                at += n;
            }
            return analyzer.result();
        }
    }

    private static void near(long expected, long actual, String what) {
        if (Math.abs(expected - actual) > 20) {
            assertEquals(expected, actual, what + " within 20 ms");
        }
    }

    @Test
    void plantedLatencyTalkOverAndDeadAirComeBackWithinAFrame() {
        CallAnalytics a = new Recording(20_000)
                .caller(1_000, 3_000).agent(3_700, 6_000)       // reply after 700 ms
                .caller(10_000, 12_500).agent(12_000, 14_000)    // the agent starts 500 ms early: talk-over
                .caller(14_900, 15_400).agent(17_300, 18_000)    // a slow reply: 1900 ms
                .analyse(ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);
        assertEquals(2, a.responses(), "the talk-over is not a response time");
        near(1_900, a.latencyMaxMs(), "slowest reply");
        near(700, a.latencyP50Ms(), "median of 700 and 1900 (nearest rank)");
        near(1_900, a.latencyP95Ms(), "p95");
        near(500, a.talkOverMs(), "talk-over");
        assertEquals(1, a.talkOverCount());
        assertEquals(1, a.deadAirCount(), "6000-10000 only: the leading second and the tail are no dead air");
        near(4_000, a.longestDeadAirMs(), "dead air");
        near(2_000 + 2_500 + 500, a.callerTalkMs(), "caller talk");
        near(2_300 + 2_000 + 700, a.agentTalkMs(), "agent talk");
        near(2_300, a.longestMonologueMs(), "longest agent stretch");
        assertEquals(2, a.replyGaps().size());
        near(3_000, a.replyGaps().get(0).startMs(), "first wait starts");
        near(3_700, a.replyGaps().get(0).endMs(), "first wait ends");
        near(15_400, a.replyGaps().get(1).startMs(), "slow wait starts");
        near(17_300, a.replyGaps().get(1).endMs(), "slow wait ends");
        assertEquals(1, a.talkOvers().size());
        near(12_000, a.talkOvers().get(0).startMs(), "talk-over starts");
        near(12_500, a.talkOvers().get(0).endMs(), "talk-over ends");
        assertEquals(1, a.deadAirs().size());
        near(6_000, a.deadAirs().get(0).startMs(), "dead air starts");
        near(10_000, a.deadAirs().get(0).endMs(), "dead air ends");
    }

    @Test
    void theFirstHundredStretchesOfAKindAreKeptAndAllAreCounted() {
        Recording r = new Recording(130 * 1_000 + 1_000);
        for (int i = 0; i < 130; i++) {
            r.caller(i * 1_000L, i * 1_000L + 600).agent(i * 1_000L + 300, i * 1_000L + 600);
        }
        CallAnalytics a = r.analyse(ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);
        assertEquals(130, a.talkOverCount());
        assertEquals(CallAnalytics.MAX_STRETCHES, a.talkOvers().size());
        near(99_300, a.talkOvers().get(99).startMs(), "the hundredth starts");
        near(99_600, a.talkOvers().get(99).endMs(), "and ends");
        for (int i = 0; i < CallAnalytics.MAX_STRETCHES; i++) { // kept whole across the log's growth
            near(i * 1_000L + 300, a.talkOvers().get(i).startMs(), "talk-over " + i + " starts");
            near(i * 1_000L + 600, a.talkOvers().get(i).endMs(), "talk-over " + i + " ends");
        }
    }

    @Test
    void wordGapsAreNoPauseAndQuietLineNoiseIsNoSpeech() {
        Recording r = new Recording(8_000).caller(500, 1_000).caller(1_150, 2_000)   // a 150 ms gap between words
                .agent(2_400, 3_000).agent(3_100, 4_000);                          // and one in the reply
        short[] hiss = Signals.sine(3_000, RATE, 100, 0, r.caller.length);          // about -50 dBFS
        for (int i = 0; i < hiss.length; i++) {
            r.caller[i] += hiss[i];
        }
        CallAnalytics a = r.analyse(ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);
        assertEquals(1, a.responses());
        near(400, a.latencyMaxMs(), "from the end of the caller's last word");
        near(1_600, a.longestMonologueMs(), "one stretch across the 100 ms gap");
        assertEquals(0, a.talkOverCount());
        assertEquals(0, a.deadAirCount());
    }

    @Test
    void aSilentCallHasNoResponsesAndNothingToDivide() {
        CallAnalytics a = new Recording(5_000).analyse(1_000);
        assertEquals(new CallAnalytics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), a);
        assertEquals(0, a.agentTalkShare());
    }
}
