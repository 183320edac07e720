package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the demo agent's echo on the recording sample by sample. The agent replies with the caller's utterance as
 * the very 24 kHz samples the gateway appended (from the speech onset to the end of the last loud window), and the
 * recording keeps the caller's samples as appended (left) and the agent's as played (right). So a reply that played
 * whole, once and without a gap is, on the right channel, an exact copy of a stretch of the left channel shifted by
 * one constant, with nothing but silence around it: a gap puts zeros inside the copy, a repeat puts speech where
 * the shifted left channel has none, lost audio ends the copy early.
 *
 * <p>One gap is by design: when the call's event loop stalls for more than five ticks, the pacer skips the ticks it
 * missed (rtp Pacer.MAX_CATCH_UP_TICKS) and counts them, and the rest of the reply plays that many whole frames
 * later. A shared build machine can stall a loop like that; so the checks accept silent whole frames inside a reply,
 * after which it goes on exactly where it stopped, no more of them than the gateway reports as skipped ticks.
 */
final class Echoes {

    /**
     * The stretch of the utterance that is surely inside what the agent echoed. The agent's voice activity
     * detector decides in 20 ms windows of its own input clock, two loud windows to start (EnergyVad), at a level
     * (-40 dBFS) near the test's activity threshold: its onset and last loud window may each lie up to two windows
     * inside the activity the test measures on the recording's own 20 ms grid.
     */
    static final long EDGE_MS = 60;
    /** One playout tick: a turn is played in whole 20 ms frames. */
    static final long TICK_MS = 20;
    static final int FRAME = 480;
    /** The reply is searched for this far either side of its turn's start. */
    private static final long SEARCH_MS = 500;
    /** An exact copy correlates perfectly; anything else (resampled, re-encoded, mixed) does not. */
    private static final double EXACT = 0.999_999;
    /** Probes of the utterance tried in turn to find where the reply is, in case a skipped tick splits the first. */
    private static final int PROBES = 8;
    /** Two frames: long enough to correlate unmistakably, short enough to fit between skipped ticks. */
    private static final int PROBE = 2 * FRAME;
    /** Longest run of skipped ticks looked for inside a reply: 2 s of stall. */
    private static final int MAX_HOLE_FRAMES = 100;

    private Echoes() {
    }

    /**
     * Where a reply was found: the interior of the utterance played from right-channel sample {@code from} to
     * {@code to}, with {@code holes} whole silent frames (skipped ticks) inside.
     */
    record Echo(int from, int to, int holes) {
        long fromMs() {
            return from / samplesPerMs();
        }

        long toMs() {
            return to / samplesPerMs();
        }
    }

    /**
     * Asserts that {@code reply} is {@code utterance} played whole, once and without a gap but for at most
     * {@code skippedTicks} whole frames; returns where.
     */
    static Echo assertPlayedWhole(RecordedCall call, Signals.Segment utterance, CallJson.Turn reply,
                                  long skippedTicks) {
        Echo echo = assertPlayed(call, utterance, reply, skippedTicks, Integer.MAX_VALUE);
        // The turn runs from the first to the last sample played: the echo's edges (up to EDGE_MS and a detector
        // window beyond the checked interior) and the whole frames that carry them.
        long slack = EDGE_MS + 3 * TICK_MS + echo.holes() * TICK_MS;
        assertTrue(reply.startMs() <= echo.fromMs() && echo.fromMs() - reply.startMs() <= slack
                        && reply.endMs() >= echo.toMs() && reply.endMs() - echo.toMs() <= slack,
                "the assistant turn " + reply + " spans the reply played, " + echo);
        return echo;
    }

    /**
     * Asserts that {@code reply} is {@code utterance} from its start, played without a gap (but for at most
     * {@code skippedTicks} whole frames) or repeat until the turn ends, where it was cut off.
     */
    static Echo assertPlayedUntilCut(RecordedCall call, Signals.Segment utterance, CallJson.Turn reply,
                                     long skippedTicks) {
        return assertPlayed(call, utterance, reply, skippedTicks,
                (int) Math.min(Integer.MAX_VALUE, reply.endMs() * samplesPerMs()));
    }

    /** Ticks the gateway skipped after its loop stalled (all calls; one call per gateway in these tests). */
    static long skippedTicks(GatewayUnderIT gw) throws Exception {
        return (long) gw.metric("gateway_rtp_outbound_skipped_total{reason=\"late_tick\"}");
    }

    /** Asserts that the right channel is silent (exactly 0) outside the assistant turns, give or take one tick. */
    static void assertSilentOutsideTurns(RecordedCall call) {
        short[] right = call.assistant();
        List<CallJson.Turn> replies = call.json().turns("assistant");
        int rate = RecordedCall.SAMPLE_RATE;
        for (int i = 0; i < right.length; i++) {
            long ms = (long) i * 1000 / rate;
            if (right[i] != 0 && replies.stream()
                    .noneMatch(t -> ms >= t.startMs() - TICK_MS && ms < t.endMs() + TICK_MS)) {
                throw new AssertionError("assistant audio at " + ms + " ms outside every assistant turn "
                        + replies);
            }
        }
    }

    private static Echo assertPlayed(RecordedCall call, Signals.Segment utterance, CallJson.Turn reply,
                                     long skippedTicks, int cutAt) {
        short[] left = call.caller();
        short[] right = call.assistant();
        int spm = samplesPerMs();
        int from = (int) ((utterance.startMs() + EDGE_MS) * spm);
        int to = (int) ((utterance.endMs() - EDGE_MS) * spm);
        assertTrue(to - from > PROBES * PROBE, "utterance too short to check: " + utterance);

        // Where the interior starts to play: the first of a few 40 ms probes found as an exact copy.
        int expected = (int) (reply.startMs() * spm);
        int search = (int) (SEARCH_MS * spm);
        int probeAt = -1;
        Signals.Match m = null;
        for (int p = 0; p < PROBES && probeAt < 0; p++) {
            int at = from + p * PROBE;
            m = Signals.bestMatch(right, Arrays.copyOfRange(left, at, at + PROBE), Math.max(0, expected - search),
                    expected + search + p * PROBE);
            if (m.score() >= EXACT && Arrays.equals(right, m.lag(), m.lag() + PROBE, left, at, at + PROBE)) {
                probeAt = at;
            }
        }
        assertTrue(probeAt >= 0, "the reply " + reply + " is the caller's words of " + utterance
                + " as they were sent; best match of the last probe " + m);
        int shift = m.lag() - probeAt;

        // Forward to the end of the interior (or the cut), and backward to its start: on reversed channels a
        // forward walk is a backward one (right'[x] = left'[x - s'] with s' = -s, same lengths).
        Walk ahead = walk(right, left, m.lag(), shift, to, cutAt);
        short[] rightReversed = reversed(right);
        short[] leftReversed = reversed(left);
        int n = right.length;
        Walk back = walk(rightReversed, leftReversed, n - m.lag(), -shift, n - from, Integer.MAX_VALUE);
        int start = n - back.end();
        int holes = ahead.holes() + back.holes();
        Echo echo = new Echo(start, ahead.end(), holes);
        assertTrue(holes <= skippedTicks, "a gap of " + holes + " frames in the reply " + reply + " where the gateway"
                + " skipped " + skippedTicks + " ticks: " + echo);

        // Around the interior, within the turn and a tick either side: only the echo's edges (the caller's own
        // samples, same shift as the nearest played sample, or as many whole frames further out as ticks the gateway
        // skipped that the interior does not account for) or silence. A second copy would show here.
        int regionFrom = (int) Math.max(0, (reply.startMs() - TICK_MS) * spm);
        int regionTo = (int) Math.min(right.length, Math.min((reply.endMs() + TICK_MS) * spm, (long) cutAt));
        long edgeHoles = skippedTicks - holes;
        for (int i = regionFrom; i < regionTo; i++) {
            if (i >= echo.from() && i < echo.to()) {
                continue;
            }
            boolean leading = i < echo.from();
            int s = leading ? -back.shift() : ahead.shift();
            boolean echoEdge = false;
            for (long k = 0; k <= edgeHoles && !echoEdge; k++) {
                int source = i - (leading ? s - (int) k * FRAME : s + (int) k * FRAME);
                echoEdge = source >= 0 && source < left.length && right[i] == left[source];
            }
            if (right[i] != 0 && !echoEdge) {
                throw new AssertionError("assistant audio at " + (i / spm) + " ms is not the caller's utterance"
                        + " played once: reply " + reply + ", " + echo);
            }
        }
        return echo;
    }

    /** Where a walk stopped (right-channel index), with the shift there and the silent frames it crossed. */
    private record Walk(int end, int shift, int holes) {
    }

    /**
     * Follows {@code right[i] == left[i - shift]} from {@code i} until the left index reaches {@code leftEnd} or
     * {@code i} reaches {@code rightEnd}. Where they differ, only a run of silence of whole frames (k skipped
     * ticks, plus echo samples that are silence themselves) may follow, after which the copy goes on exactly where
     * it stopped with the shift k frames larger.
     */
    private static Walk walk(short[] right, short[] left, int i, int shift, int leftEnd, int rightEnd) {
        int holes = 0;
        while (i - shift < leftEnd && i < rightEnd) {
            if (i < right.length && right[i] == left[i - shift]) {
                i++;
                continue;
            }
            int j = i;
            while (j < right.length && right[j] == 0) {
                j++;
            }
            int k = resumption(right, left, i, j, shift, leftEnd);
            if (k < 0) {
                throw new AssertionError("the reply differs from the caller's utterance at " + (i / samplesPerMs())
                        + " ms: not a whole-frame pause after which it goes on where it stopped (a gap, a repeat or"
                        + " lost audio)");
            }
            holes += k;
            shift += k * FRAME;
            i = j;
        }
        return new Walk(i, shift, holes);
    }

    /**
     * The number of silent frames k such that, with {@code right[i, j)} silent, the echo resumes at {@code j}
     * with the shift k frames larger and the left samples it passed over silent too; -1 if none.
     */
    private static int resumption(short[] right, short[] left, int i, int j, int shift, int leftEnd) {
        for (int k = 1; k <= MAX_HOLE_FRAMES; k++) {
            int passed = (j - i) - k * FRAME;
            if (passed < 0) {
                return -1;
            }
            int leftAt = i - shift;
            boolean silentToo = true;
            for (int x = leftAt; x < leftAt + passed && silentToo; x++) {
                silentToo = left[x] == 0;
            }
            int resumeLeft = leftAt + passed;
            int verify = Math.min(FRAME, Math.min(leftEnd - resumeLeft, right.length - j));
            if (silentToo && verify > 0
                    && Arrays.equals(right, j, j + verify, left, resumeLeft, resumeLeft + verify)) {
                return k;
            }
        }
        return -1;
    }

    private static short[] reversed(short[] s) {
        short[] r = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[s.length - 1 - i];
        }
        return r;
    }

    private static int samplesPerMs() {
        return RecordedCall.SAMPLE_RATE / 1000;
    }
}
