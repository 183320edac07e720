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
            return false;
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
    void eachTickHandsOverTheFrameThatBecameWholeThenAsksForTheAgentsFrameUntilTheLastSample() {
        Notes notes = new Notes(null);
        int[] ended = new int[1];
        short[] caller = pattern(2 * FRAME + 100);
        ReplayMediaLeg leg = new ReplayMediaLeg(scheduler, caller, notes, () -> ended[0]++);
        leg.start(notes.answer);
        scheduler.runDue();
        for (int t = 0; t < 10; t++) {
            scheduler.advanceMillis(20);
        }
        assertEquals(List.of("playout 0 @0",
                "caller 0 480 @20", "playout 480 @20",
                "caller 480 480 @40", "playout 960 @40",
                "caller 960 480 @60"), notes.seen);
        assertEquals(1, ended[0], "the end is told once");
        assertArrayEquals(Arrays.copyOfRange(caller, 0, FRAME), notes.frames.get(0));
        assertArrayEquals(Arrays.copyOfRange(caller, FRAME, 2 * FRAME), notes.frames.get(1));
        short[] last = Arrays.copyOf(Arrays.copyOfRange(caller, 2 * FRAME, caller.length), FRAME);
        assertArrayEquals(last, notes.frames.get(2), "the last part frame, padded with silence");
        assertEquals(0, leg.port());
        assertFalse(leg.sendDigits("1", 100), "no phone to press keys on");
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
        assertEquals(2, notes.codes.size());
        byte[] sent = new byte[narrow.length];
        System.arraycopy(notes.codes.get(0), 0, sent, 0, FRAME / 3);
        System.arraycopy(notes.codes.get(1), 0, sent, FRAME / 3, FRAME / 3);
        assertArrayEquals(expected, sent);
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
