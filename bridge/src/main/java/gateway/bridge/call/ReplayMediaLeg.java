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
 * at that instant (a phone's packet leaves once its audio is spoken). After the last caller frame it stops and says so
 * once ({@code ended}); the call then ends. Per tick it allocates nothing. Call's loop only.
 */
final class ReplayMediaLeg implements MediaLeg {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;

    private final Scheduler scheduler;
    /** The caller's samples, padded with silence to whole frames. */
    private final short[] caller;
    private final MediaListener listener;
    private final Runnable ended;
    private final short[] playout = new short[FRAME];
    /** The caller's frame in the model's G.711 law, when it takes one (else unused). */
    private final byte[] codes = new byte[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
    private final short[] narrow = new short[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
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

    /** One 20 ms tick: the caller frame that is whole now, then the agent's frame, or the end of the recording. */
    private void tick() {
        if (closed) {
            return;
        }
        long k = tick++;
        tickNanos = scheduler.nanoTime();
        if (k >= 1) {
            deliverCaller((int) ((k - 1) * FRAME));
        }
        if (k * FRAME >= caller.length) {
            close();
            ended.run();
            return;
        }
        Arrays.fill(playout, (short) 0);
        listener.nextPlayoutFrame(playout, FRAME, k * FRAME);
    }

    private void deliverCaller(int from) {
        G711 law = listener.agentLaw();
        if (law == null) {
            listener.onCallerAudio(caller, from, FRAME, from);
            return;
        }
        int n = down.process(caller, from, FRAME, narrow, 0);
        for (int i = 0; i < n; i++) {
            codes[i] = law.encode(narrow[i]);
        }
        listener.onCallerAudio(caller, from, FRAME, from, codes, 0);
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
