package gateway.bridge.call;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether a new INVITE is taken. Calls already up come first: a new one is refused with 503 and Retry-After
 * (RFC 3261 §21.5.4) when the gateway is at its call limit (the calls its recorder has buffers for), when the
 * recorder's writer is falling behind, long before the calls up could lose audio, or when the media loops are
 * (their pacer ticks running late: {@code PlayoutLag}), before the calls up hear it, or when the recordings disk is
 * (nearly) full, so no call is answered that could not be recorded. Thread-safe; the SIP loop asks.
 */
public final class Admission {

    /**
     * Writer backlog at which new calls are refused: 1 s, four of its 0.25 s passes. A writer keeping up is never
     * more than one pass and a bit behind; each call's buffer holds at least 2 s ({@code recordings.buffer-seconds}),
     * so the calls up keep at least another second, by default four.
     */
    public static final long MAX_RECORDER_BACKLOG_NANOS = 1_000_000_000L;
    /** Retry-After when the writer is behind: once no calls are added it catches up within seconds. */
    static final int RETRY_AFTER_BACKLOG_SECONDS = 5;
    /** Retry-After at the call limit: calls last minutes, so a place frees up on the order of tens of seconds. */
    static final int RETRY_AFTER_FULL_SECONDS = 30;

    /** The answer for one INVITE: {@code refusal} is null when it is taken, else the metric's reason label. */
    public record Decision(String refusal, int retryAfterSeconds) {

        static final Decision ADMIT = new Decision(null, 0);

        public boolean admitted() {
            return refusal == null;
        }
    }

    static final Decision FULL = new Decision("capacity", RETRY_AFTER_FULL_SECONDS);
    static final Decision RECORDER_BEHIND = new Decision("recorder_backlog", RETRY_AFTER_BACKLOG_SECONDS);
    /** The media loops behind: as with the writer, a few seconds without new calls let them catch up. */
    static final Decision MEDIA_BEHIND = new Decision("media_lag", RETRY_AFTER_BACKLOG_SECONDS);
    /** The disk frees up when someone deletes or uploads calls: minutes, as at the call limit. */
    static final Decision DISK_FULL = new Decision("disk_full", RETRY_AFTER_FULL_SECONDS);

    private final int maxCalls;
    private final LongSupplier recorderBacklogNanos;
    private final BooleanSupplier mediaBehind;
    private final BooleanSupplier diskFull;

    /**
     * Admits up to {@code maxCalls} calls while the recorder's backlog is under {@link #MAX_RECORDER_BACKLOG_NANOS}
     * and the media loops are not {@code mediaBehind}.
     */
    public Admission(int maxCalls, LongSupplier recorderBacklogNanos, BooleanSupplier mediaBehind) {
        this(maxCalls, recorderBacklogNanos, mediaBehind, () -> false);
    }

    /** As above, and only while the recordings disk is not {@code diskFull} (a cheap flag, looked at elsewhere). */
    public Admission(int maxCalls, LongSupplier recorderBacklogNanos, BooleanSupplier mediaBehind,
                     BooleanSupplier diskFull) {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be positive: " + maxCalls);
        }
        this.maxCalls = maxCalls;
        this.recorderBacklogNanos = recorderBacklogNanos;
        this.mediaBehind = mediaBehind;
        this.diskFull = diskFull;
    }

    /** Takes every call (tests that are not about admission). */
    public static Admission unlimited() {
        return new Admission(Integer.MAX_VALUE, () -> 0, () -> false);
    }

    /** The decision for a new INVITE while {@code activeCalls} calls are up or ringing. */
    public Decision decide(int activeCalls) {
        if (activeCalls >= maxCalls) {
            return FULL;
        }
        if (diskFull.getAsBoolean()) {
            return DISK_FULL;
        }
        if (recorderBacklogNanos.getAsLong() >= MAX_RECORDER_BACKLOG_NANOS) {
            return RECORDER_BEHIND;
        }
        if (mediaBehind.getAsBoolean()) {
            return MEDIA_BEHIND;
        }
        return Decision.ADMIT;
    }

    public int maxCalls() {
        return maxCalls;
    }
}
