package gateway.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a stereo 24 kHz recording as it is written ({@link CallAnalytics}): fed packed frames (caller in the low
 * 16 bits, agent in the high 16 bits, as audio.wav holds them), it decides per 20 ms frame whether each side's signal
 * is loud, its RMS at least {@link #SPEECH_RMS} (about -40 dBFS: speech at telephone levels, above line noise and
 * comfort noise), and measures on those frames, so planted times come back within a frame. Loud frames of one side
 * less than {@link #PAUSE_FRAMES} apart belong to one stretch of speech (the gaps between words are no pause): a
 * talk-over, an agent's monologue, a reply. A response time runs from the end of the caller's last loud frame to the
 * start of the agent's first loud frame after a pause of its own, counted when the caller spoke after the agent's
 * previous reply and had stopped before this one began. Dead air is a stretch without a loud frame on either side
 * of at least the threshold. The first {@link CallAnalytics#MAX_STRETCHES} reply gaps, talk-overs and dead-air
 * stretches are kept with their times, for the timeline. Memory grows only with what is kept: the response times
 * (one long per reply) and those stretches. The recorder's writer feeds it as it writes audio.wav; {@link #measure}
 * feeds it a finished audio.wav, for calls recorded before the analytics existed: the same code either way.
 * Threading: one thread at a time.
 */
public final class ConversationAnalyzer {

    /** 20 ms at 24 kHz. */
    static final int FRAME_SAMPLES = 480;
    static final long FRAME_MS = 20;
    /** About -40 dBFS. */
    static final double SPEECH_RMS = 300;
    /** 200 ms: loud frames closer than this belong to one stretch of speech. */
    static final int PAUSE_FRAMES = 10;
    /** The usual threshold: three seconds where nobody speaks. */
    public static final long DEFAULT_DEAD_AIR_MS = 3_000;

    /** Samples of a frame the energy is taken from: every fourth (6 kHz of the 24). */
    static final int STRIDE = 4;
    private static final long SPEECH_ENERGY = (long) (SPEECH_RMS * SPEECH_RMS) * (FRAME_SAMPLES / STRIDE);
    private static final long NEVER = Long.MIN_VALUE / 2;

    private final long deadAirMs;
    private long callerEnergy;
    private long agentEnergy;
    private int inFrame;
    private long frame;
    private long callerTalkMs;
    private long agentTalkMs;
    /** The last frame each side (or both at once) was loud in; {@link #NEVER} before any. */
    private long callerLastLoud = NEVER;
    private long agentLastLoud = NEVER;
    private long bothLastLoud = NEVER;
    private long talkOverMs;
    private int talkOverCount;
    private long silentMs;
    private int deadAirCount;
    private long longestDeadAirMs;
    private long monologueStartMs;
    private long longestMonologueMs;
    /** Where the agent's previous reply ended (ms): a response counts only after caller speech since then. */
    private long agentReplyEndMs = -1;
    private long[] latencies = new long[16];
    private int latencyCount;
    /** Start and end (ms) of the first {@link CallAnalytics#MAX_STRETCHES} of each kind. */
    private final StretchLog replyGaps = new StretchLog();
    private final StretchLog talkOvers = new StretchLog();
    private final StretchLog deadAirs = new StretchLog();

    /** Bytes of audio.wav {@link #measure} reads at a time: one second of both channels. */
    static final int MEASURE_CHUNK_BYTES = RecordingFormat.SAMPLE_RATE * RecordingFormat.BYTES_PER_FRAME;

    public ConversationAnalyzer(long deadAirMs) {
        this.deadAirMs = deadAirMs;
    }

    /**
     * Measures a finished recording's audio.wav (the {@link RecordingFormat} layout: 24 kHz stereo, caller left) as
     * the recorder's writer would have measured it while writing it; throws IOException when it is not that layout.
     * Blocks on I/O; reads one second at a time.
     */
    public static CallAnalytics measure(StoredFile audio, long deadAirMs) throws IOException {
        WavLayout layout = WavCodec.layout(audio);
        if (layout.channels() != RecordingFormat.CHANNELS || layout.sampleRate() != RecordingFormat.SAMPLE_RATE) {
            throw new IOException("not a recording: " + layout.channels() + " channels at " + layout.sampleRate()
                    + " Hz");
        }
        ConversationAnalyzer analyzer = new ConversationAnalyzer(deadAirMs);
        ByteBuffer chunk = ByteBuffer.allocate(MEASURE_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long end = layout.dataOffset() + layout.dataBytes();
        long position = layout.dataOffset();
        while (position < end) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
            while (chunk.hasRemaining()) {
                int read = audio.read(chunk, position + chunk.position());
                if (read < 0) {
                    throw new IOException("audio.wav ended " + (end - position - chunk.position())
                            + " bytes before its data chunk does");
                }
            }
            position += chunk.limit();
            chunk.flip();
            // A packed frame read little-endian is the caller's sample in the low 16 bits and the agent's in the
            // high 16, as the writer hands them to add.
            analyzer.add(chunk.asIntBuffer(), chunk.limit() / RecordingFormat.BYTES_PER_FRAME);
        }
        return analyzer.result();
    }

    /**
     * Feeds {@code count} packed frames from index 0 of {@code frames} (absolute reads: its position stays). The
     * energy of a frame is taken from every {@value #STRIDE}th sample: a level decision needs no more, and the
     * writer pays a quarter of the cost.
     */
    public void add(IntBuffer frames, int count) {
        int i = 0;
        while (i < count) {
            int take = Math.min(count - i, FRAME_SAMPLES - inFrame);
            int first = i + (STRIDE - inFrame % STRIDE) % STRIDE;
            for (int j = first; j < i + take; j += STRIDE) {
                int packed = frames.get(j);
                long c = (short) packed;
                long a = (short) (packed >>> 16);
                callerEnergy += c * c;
                agentEnergy += a * a;
            }
            inFrame += take;
            i += take;
            if (inFrame == FRAME_SAMPLES) {
                endFrame();
            }
        }
    }

    private void endFrame() {
        boolean callerLoud = callerEnergy >= SPEECH_ENERGY;
        boolean agentLoud = agentEnergy >= SPEECH_ENERGY;
        callerEnergy = 0;
        agentEnergy = 0;
        inFrame = 0;
        long startMs = frame * FRAME_MS;
        long endMs = startMs + FRAME_MS;
        if (callerLoud) {
            callerTalkMs += FRAME_MS;
            callerLastLoud = frame;
        }
        if (agentLoud) {
            agentTalkMs += FRAME_MS;
            if (frame - agentLastLoud > PAUSE_FRAMES) {
                if (agentLastLoud != NEVER) {
                    agentReplyEndMs = (agentLastLoud + 1) * FRAME_MS;
                }
                responseStarts(startMs);
                monologueStartMs = startMs;
            }
            agentLastLoud = frame;
            longestMonologueMs = Math.max(longestMonologueMs, endMs - monologueStartMs);
        }
        if (callerLoud && agentLoud) {
            talkOverMs += FRAME_MS;
            if (frame - bothLastLoud > PAUSE_FRAMES) {
                talkOverCount++;
                talkOvers.add(startMs, endMs);
            } else {
                talkOvers.extendLast(endMs);
            }
            bothLastLoud = frame;
        }
        if (callerLoud || agentLoud) {
            if (silentMs >= deadAirMs) {
                deadAirCount++;
                longestDeadAirMs = Math.max(longestDeadAirMs, silentMs);
                deadAirs.add(startMs - silentMs, startMs);
            }
            silentMs = 0;
        } else {
            silentMs += FRAME_MS;
        }
        frame++;
    }

    /** The agent's voice starts at {@code startMs} after a pause of its own: a response if the caller spoke last. */
    private void responseStarts(long startMs) {
        if (callerLastLoud == NEVER) {
            return;
        }
        long callerEndMs = (callerLastLoud + 1) * FRAME_MS;
        if (callerEndMs > agentReplyEndMs && callerEndMs <= startMs) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencyCount * 2);
            }
            latencies[latencyCount++] = startMs - callerEndMs;
            replyGaps.add(callerEndMs, startMs);
        }
    }

    /**
     * What was measured; silence still running at the end (the wait for the hang-up) is not dead air. A last partial
     * frame is left out.
     */
    public CallAnalytics result() {
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        return new CallAnalytics(latencyCount, Percentiles.nearestRank(sorted, 50), Percentiles.nearestRank(sorted, 95),
                latencyCount == 0 ? 0 : sorted[latencyCount - 1], talkOverMs, talkOverCount, deadAirCount,
                longestDeadAirMs, callerTalkMs, agentTalkMs, longestMonologueMs, replyGaps.toList(),
                talkOvers.toList(), deadAirs.toList());
    }

    /**
     * The first {@link CallAnalytics#MAX_STRETCHES} stretches of one kind, start and end in one array; the last one
     * kept may still grow. Most calls have a few stretches of a kind, so the array starts empty and doubles from
     * {@link #FIRST_CAPACITY} stretches as they come, up to the cap: a call holds 1.6 KB a kind only once it has had
     * over 64 of them, and adding one allocates only when the array doubles (at most six times a kind).
     */
    private static final class StretchLog {
        private static final int FIRST_CAPACITY = 4;
        private static final long[] NONE = new long[0];

        private long[] bounds = NONE;
        private int count;
        /** Whether the stretch being extended is the last one kept (later ones are only counted by the caller). */
        private boolean lastKept;

        void add(long startMs, long endMs) {
            lastKept = count < CallAnalytics.MAX_STRETCHES;
            if (lastKept) {
                if (2 * count == bounds.length) {
                    int capacity = Math.min(Math.max(2 * count, FIRST_CAPACITY), CallAnalytics.MAX_STRETCHES);
                    bounds = Arrays.copyOf(bounds, 2 * capacity);
                }
                bounds[2 * count] = startMs;
                bounds[2 * count + 1] = endMs;
                count++;
            }
        }

        void extendLast(long endMs) {
            if (lastKept) {
                bounds[2 * count - 1] = endMs;
            }
        }

        List<CallAnalytics.Stretch> toList() {
            List<CallAnalytics.Stretch> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(new CallAnalytics.Stretch(bounds[2 * i], bounds[2 * i + 1]));
            }
            return list;
        }
    }
}
