package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.time.CallTimeline;
import gateway.time.ManualScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay's media leg on the manual clock, against a listener that notes each callback: from the answer, a tick
 * every 20 ms asks for the agent's frame at the tick's position and first hands over the caller frame that became
 * whole, in order, until the recording's last sample; then it ends once and ticks no more.
 */
class ReplayMediaLegTest {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;

    private final ManualScheduler scheduler = new ManualScheduler(1_000_000_000L);

    /** Notes "caller position length @ms" and "playout position @ms" (ms since the answer), and the codes. */
    private final class Notes implements MediaListener {
        final List<String> seen = new ArrayList<>();
        final List<short[]> frames = new ArrayList<>();
        final List<byte[]> codes = new ArrayList<>();
        final long answer = scheduler.nanoTime();
        final G711 law;
        /** The agent has audio to play until this many ms after the answer. */
        long agentSpeaksUntilMs;

        Notes(G711 law) {
            this.law = law;
        }

        private long ms() {
            return (scheduler.nanoTime() - answer) / 1_000_000;
        }

        @Override
        public G711 agentLaw() {
            return law;
        }

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            seen.add("caller " + position + " " + length + " @" + ms());
            frames.add(Arrays.copyOfRange(pcm24k, offset, offset + length));
        }

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] sent, int at) {
            onCallerAudio(pcm24k, offset, length, position);
            codes.add(Arrays.copyOfRange(sent, at, at + length / CallTimeline.SAMPLES_PER_RTP_UNIT));
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            seen.add("playout " + position + " @" + ms());
            return ms() < agentSpeaksUntilMs;
        }

        @Override
        public void onMediaFault(Throwable error) {
            seen.add("fault " + error);
        }
    }

    private static short[] pattern(int length) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) (i * 7 - 5_000);
        }
        return s;
    }

    @Test
    void eachTickHandsOverTheFrameThatBecameWholeThenAsksForTheAgentsFrameUntilTheAgentIsQuietAfterTheLastSample() {
        Notes notes = new Notes(null);
        int[] ended = new int[1];
        short[] caller = pattern(2 * FRAME + 100);
        ReplayMediaLeg leg = new ReplayMediaLeg(scheduler, caller, notes, () -> ended[0]++);
        leg.start(notes.answer);
        scheduler.runDue();
        for (int t = 0; t < 3; t++) {
            scheduler.advanceMillis(20);
        }
        assertEquals(List.of("playout 0 @0",
                "caller 0 480 @20", "playout 480 @20",
                "caller 480 480 @40", "playout 960 @40",
                "caller 960 480 @60", "playout 1440 @60"), notes.seen);
        assertArrayEquals(Arrays.copyOfRange(caller, 0, FRAME), notes.frames.get(0));
        assertArrayEquals(Arrays.copyOfRange(caller, FRAME, 2 * FRAME), notes.frames.get(1));
        short[] last = Arrays.copyOf(Arrays.copyOfRange(caller, 2 * FRAME, caller.length), FRAME);
        assertArrayEquals(last, notes.frames.get(2), "the last part frame, padded with silence");
        // The agent is quiet: 2 s of silence from the caller's end (tick 3), then the end, told once.
        scheduler.advanceMillis(20 * ReplayMediaLeg.QUIET_TO_END_TICKS - 20);
        assertEquals(0, ended[0]);
        scheduler.advanceMillis(20);
        assertEquals(1, ended[0], "the end, 2 s after the caller's last frame");
        assertEquals("caller " + (ReplayMediaLeg.QUIET_TO_END_TICKS + 2) * FRAME + " 480 @"
                + (ReplayMediaLeg.QUIET_TO_END_TICKS + 3) * 20, notes.seen.get(notes.seen.size() - 1));
        for (int f = 3; f < notes.frames.size(); f++) {
            assertArrayEquals(new short[FRAME], notes.frames.get(f), "silence after the caller's end");
        }
        scheduler.advanceMillis(1000);
        assertEquals(1, ended[0]);
        assertEquals(0, leg.port());
        assertFalse(leg.sendDigits("1", 100), "no phone to press keys on");
    }

    @Test
    void anAgentStillAnsweringAfterTheCallersEndIsHeardOutWithinTheCap() {
        Notes notes = new Notes(null);
        notes.agentSpeaksUntilMs = 3_000;
        int[] ended = new int[1];
        ReplayMediaLeg leg = new ReplayMediaLeg(scheduler, pattern(FRAME), notes, () -> ended[0]++);
        leg.start(notes.answer);
        scheduler.runDue();
        scheduler.advanceMillis(3_000 + 20 * ReplayMediaLeg.QUIET_TO_END_TICKS - 20);
        assertEquals(0, ended[0], "the agent spoke until 3 s, then 2 s of quiet are not over");
        scheduler.advanceMillis(40);
        assertEquals(1, ended[0]);

        Notes talker = new Notes(null);
        talker.agentSpeaksUntilMs = Long.MAX_VALUE;
        int[] capped = new int[1];
        new ReplayMediaLeg(scheduler, pattern(FRAME), talker, () -> capped[0]++).start(talker.answer);
        scheduler.runDue();
        scheduler.advanceMillis(20 * (ReplayMediaLeg.MAX_TAIL_TICKS + 1) - 20);
        assertEquals(0, capped[0]);
        scheduler.advanceMillis(20);
        assertEquals(1, capped[0], "an agent that never stops is cut off 15 s after the caller's end");
    }

    @Test
    void aModelThatTakesG711GetsTheFramesEncodedFromThe24KhzChannel() {
        Notes notes = new Notes(G711.PCMU);
        short[] caller = pattern(2 * FRAME);
        ReplayMediaLeg leg = new ReplayMediaLeg(scheduler, caller, notes, () -> { });
        leg.start(notes.answer);
        scheduler.runDue();
        scheduler.advanceMillis(100);
        Downsampler24kTo8k down = new Downsampler24kTo8k();
        short[] narrow = new short[2 * FRAME / 3];
        down.process(caller, 0, caller.length, narrow, 0);
        byte[] expected = new byte[narrow.length];
        for (int i = 0; i < narrow.length; i++) {
            expected[i] = G711.PCMU.encode(narrow[i]);
        }
        assertEquals(5, notes.codes.size(), "two caller frames, then silence, one a tick");
        byte[] sent = new byte[narrow.length];
        System.arraycopy(notes.codes.get(0), 0, sent, 0, FRAME / 3);
        System.arraycopy(notes.codes.get(1), 0, sent, FRAME / 3, FRAME / 3);
        assertArrayEquals(expected, sent);
        byte[] silent = new byte[FRAME / 3];
        Arrays.fill(silent, G711.PCMU.encode((short) 0));
        for (int i = 2; i < 5; i++) {
            assertArrayEquals(silent, notes.codes.get(i), "after the caller's end, frame " + i + " is silence");
        }
    }

    @Test
    void aLegClosedBeforeItsEndTicksNoMoreAndNeverEnds() {
        Notes notes = new Notes(null);
        int[] ended = new int[1];
        ReplayMediaLeg leg = new ReplayMediaLeg(scheduler, pattern(10 * FRAME), notes, () -> ended[0]++);
        leg.start(notes.answer);
        scheduler.runDue();
        scheduler.advanceMillis(40);
        leg.close();
        int seen = notes.seen.size();
        scheduler.advanceMillis(400);
        assertEquals(seen, notes.seen.size());
        assertEquals(0, ended[0]);
    }
}
