package gateway.bridge.call;

import gateway.time.CallTimeline;
import gateway.time.Clock;

/**
 * A call's recording timeline: sample 0 is the answer instant; before the answer the position is 0, while the call
 * runs it follows the clock, and at the end it stops for good at the later of now and the last sample of audio the
 * call handled. Call's loop only; {@link #reached} runs per packet and allocates nothing.
 */
final class CallClock {

    /** Where the timeline is. */
    enum Phase {
        /** Not answered yet: the position is 0. */
        BEFORE_ANSWER,
        /** Answered: the position is the time since the answer. */
        RUNNING,
        /** The call ended: the position stays at its end. */
        STOPPED
    }

    private final Clock clock;
    private Phase phase = Phase.BEFORE_ANSWER;
    private long answerNanos;
    private long reachedSample;
    private long endSample;

    CallClock(Clock clock) {
        this.clock = clock;
    }

    Phase phase() {
        return phase;
    }

    /** The answer: sample 0 is now. Returns that instant (the clock's nanoseconds). */
    long start() {
        answerNanos = clock.nanoTime();
        phase = Phase.RUNNING;
        return answerNanos;
    }

    /** Audio up to (not including) sample {@code endSample} was handled: the end is never before it. */
    void reached(long endSample) {
        if (endSample > reachedSample) {
            reachedSample = endSample;
        }
    }

    /** The call ended: the position stops at the later of now and the audio handled (0 if never answered). */
    long stop() {
        endSample = phase == Phase.RUNNING ? Math.max(position(), reachedSample) : position();
        phase = Phase.STOPPED;
        return endSample;
    }

    /** The recording position now, in samples. */
    long position() {
        return switch (phase) {
            case BEFORE_ANSWER -> 0;
            case RUNNING -> Math.max(0, CallTimeline.nanosToSamples(clock.nanoTime() - answerNanos));
            case STOPPED -> endSample;
        };
    }

    /** The recording position now, in ms. */
    long positionMs() {
        return CallTimeline.samplesToMs(position());
    }

    /** How late {@code nowNanos} is for the sample at {@code position}: the pacer's lateness for that frame. */
    long lateness(long position, long nowNanos) {
        return nowNanos - answerNanos - CallTimeline.samplesToNanos(position);
    }
}
