package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallQuality;
import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.rtp.RtpStreamSpec;
import gateway.time.CallTimeline;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.util.Arrays;

/**
 * A replay's media leg, with no socket: its caller is a recorded caller channel (24 kHz, sample 0 the original's
 * answer), fed to the call at its original timing, and the agent's audio it asks for each tick is recorded by the call
 * and then discarded. From the answer it ticks every 20 ms on the call's scheduler, as the RTP pacer does: tick k
 * asks for the playout frame at sample k × 480 and first hands over caller frame k − 1, the 20 ms that became whole
 * at that instant (a phone's packet leaves once its audio is spoken). After the last caller frame the caller is
 * silent while the agent still answers: the leg stops once the agent has been quiet for {@link #QUIET_TO_END_TICKS}
 * ticks from the caller's end, or {@link #MAX_TAIL_TICKS} after it, and says so once ({@code ended}); the call then
 * ends. So an agent slower than the original's is heard out rather than cut off. Per tick it allocates nothing.
 * Call's loop only.
 */
final class ReplayMediaLeg implements MediaLeg {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;
    /** After the caller's end, 2 s without agent audio ends the replay: the agent has nothing more to say. */
    static final int QUIET_TO_END_TICKS = 100;
    /** After the caller's end, 15 s at most: an agent that never stops talking does not hold the replay open. */
    static final int MAX_TAIL_TICKS = 750;

    private final Scheduler scheduler;
    /** The caller's samples, padded with silence to whole frames. */
    private final short[] caller;
    private final MediaListener listener;
    private final Runnable ended;
    private final short[] playout = new short[FRAME];
    private final short[] silence = new short[FRAME];
    /** Frames of caller audio, the last one padded with silence. */
    private final long callerFrames;
    /** Ticks without agent audio since the caller's end. */
    private int quietTicks;
    /** The caller's frame in the model's G.711 law, when it takes one (else unused). */
    private final byte[] codes = new byte[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
    private final short[] narrow = new short[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
    /** A silent frame in {@link #silentLaw}, encoded once: what the model gets after the caller's end. */
    private final byte[] silentCodes = new byte[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
    private G711 silentLaw;
    private final Downsampler24kTo8k down = new Downsampler24kTo8k();
    private Cancellable ticks;
    private long tick;
    private long tickNanos;
    private boolean closed;

    /**
     * A leg that feeds {@code caller} (the recorded channel, any length) to {@code listener} once started, and runs
     * {@code ended} on the loop after its last sample.
     */
    ReplayMediaLeg(Scheduler scheduler, short[] caller, MediaListener listener, Runnable ended) {
        this.scheduler = scheduler;
        int frames = (caller.length + FRAME - 1) / FRAME;
        this.caller = Arrays.copyOf(caller, frames * FRAME);
        this.callerFrames = frames;
        this.listener = listener;
        this.ended = ended;
    }

    /** Replays have no socket, so no port. */
    @Override
    public int port() {
        return 0;
    }

    @Override
    public void start(long answerNanos) {
        if (ticks == null && !closed) {
            ticks = scheduler.scheduleAtFixedRate(this::tick, answerNanos - scheduler.nanoTime(),
                    CallTimeline.FRAME_NANOS);
        }
    }

    /**
     * One 20 ms tick: the caller frame that is whole now (silence after the caller's end), then the agent's frame, or
     * the end of the replay.
     */
    private void tick() {
        if (closed) {
            return;
        }
        long k = tick++;
        tickNanos = scheduler.nanoTime();
        if (k >= 1) {
            deliverCaller(k - 1);
        }
        if (k >= callerFrames && (quietTicks >= QUIET_TO_END_TICKS || k - callerFrames >= MAX_TAIL_TICKS)) {
            close();
            ended.run();
            return;
        }
        Arrays.fill(playout, (short) 0);
        boolean agentSpoke = listener.nextPlayoutFrame(playout, FRAME, k * FRAME);
        quietTicks = agentSpoke || k < callerFrames ? 0 : quietTicks + 1;
    }

    private void deliverCaller(long frame) {
        long position = frame * FRAME;
        G711 law = listener.agentLaw();
        if (frame >= callerFrames) {
            deliverSilence(position, law);
            return;
        }
        int from = (int) position;
        if (law == null) {
            listener.onCallerAudio(caller, from, FRAME, position);
            return;
        }
        int n = down.process(caller, from, FRAME, narrow, 0);
        for (int i = 0; i < n; i++) {
            codes[i] = law.encode(narrow[i]);
        }
        listener.onCallerAudio(caller, from, FRAME, position, codes, 0);
    }

    /** A silent frame after the caller's end; in G.711 the one encoded once for that law. */
    private void deliverSilence(long position, G711 law) {
        if (law == null) {
            listener.onCallerAudio(silence, 0, FRAME, position);
            return;
        }
        if (law != silentLaw) {
            Arrays.fill(silentCodes, law.silence());
            silentLaw = law;
        }
        listener.onCallerAudio(silence, 0, FRAME, position, silentCodes, 0);
    }

    /** The stream SIP negotiated does not apply: there is no wire. */
    @Override
    public void update(RtpStreamSpec next) {
    }

    /** Playout runs on the 20 ms grid only. */
    @Override
    public void playoutReady() {
    }

    @Override
    public long lastReceiveNanos() {
        return tickNanos;
    }

    /** There is no phone to press keys on. */
    @Override
    public boolean sendDigits(String keys, int durationMs) {
        return false;
    }

    /** Nothing crossed a network. */
    @Override
    public CallQuality quality() {
        return null;
    }

    @Override
    public void countInto(GatewayMetrics metrics) {
    }

    @Override
    public void close() {
        closed = true;
        if (ticks != null) {
            ticks.cancel();
        }
    }
}
