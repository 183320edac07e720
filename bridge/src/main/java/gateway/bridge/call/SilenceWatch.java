package gateway.bridge.call;

import gateway.time.CallTimeline;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.util.function.BooleanSupplier;

/**
 * Notices a caller who says nothing: once the call has been quiet (nobody speaking, nothing playing, no reply or tool
 * pending) for {@link AgentProfile.SilencePolicy#promptMs()} since the last activity, the agent prompts the caller;
 * after {@link AgentProfile.SilencePolicy#maxPrompts()} prompts it gives up (the agent says goodbye and the call
 * ends). Caller speech starts the count again. One timer on the call's scheduler, re-armed only when it fires;
 * {@link #activity()} is a field store, cheap enough for every played frame.
 *
 * <p>Call's loop only.
 */
final class SilenceWatch {

    /** What the call does about a silent caller. */
    interface Listener {

        /** The caller has been silent long enough: prompt {@code n} (1-based) is due. */
        void prompt(int n);

        /** The caller stayed silent after the last prompt: say goodbye and end the call. */
        void giveUp();
    }

    private final Scheduler scheduler;
    private final long promptNanos;
    private final int maxPrompts;
    private final BooleanSupplier quiet;
    private final Listener listener;
    private long lastActivity;
    private int prompts;
    private Cancellable timer;
    private boolean running;

    SilenceWatch(Scheduler scheduler, AgentProfile.SilencePolicy policy, BooleanSupplier quiet, Listener listener) {
        this.scheduler = scheduler;
        this.promptNanos = CallTimeline.msToNanos(policy.promptMs());
        this.maxPrompts = policy.maxPrompts();
        this.quiet = quiet;
        this.listener = listener;
    }

    /** Starts watching (the call is answered); does nothing when prompts are off. */
    void start() {
        if (promptNanos <= 0 || running) {
            return;
        }
        running = true;
        lastActivity = scheduler.nanoTime();
        arm(promptNanos);
    }

    /** Something happened on the call (a frame played, a reply started or ended): the silence starts again now. */
    void activity() {
        lastActivity = scheduler.nanoTime();
    }

    /** The caller spoke: the silence starts again, and so does the count of prompts. */
    void callerSpoke() {
        activity();
        prompts = 0;
    }

    /** Prompts given since the caller last spoke. */
    int prompts() {
        return prompts;
    }

    /** Stops watching (the call ends or is about to). */
    void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm(long delayNanos) {
        timer = scheduler.schedule(this::due, delayNanos);
    }

    private void due() {
        if (!running) {
            return;
        }
        long now = scheduler.nanoTime();
        long silent = now - lastActivity;
        if (silent < promptNanos) {
            arm(promptNanos - silent);
            return;
        }
        if (!quiet.getAsBoolean()) {
            // Something is going on that counts as activity though it made no call here (a reply is expected).
            lastActivity = now;
            arm(promptNanos);
            return;
        }
        lastActivity = now;
        if (prompts >= maxPrompts) {
            running = false;
            listener.giveUp();
            return;
        }
        prompts++;
        arm(promptNanos);
        listener.prompt(prompts);
    }
}
