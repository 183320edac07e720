package gateway.sip;

import gateway.time.Cancellable;
import gateway.time.Scheduler;

/**
 * The session timer of one dialog (RFC 4028 §10): restarted by every 2xx to a session refresh request (re-INVITE or
 * UPDATE, either way); the refresher refreshes at half the interval, and if no refresh has succeeded by
 * min(32 s, interval/3) before the session would expire, the session is over. On the injected {@link Scheduler};
 * used on the SIP event loop only.
 */
final class SessionTimer {

    /** What the timer asks of its dialog. */
    interface Actions {

        /** We are the refresher and half the interval has passed: send a session refresh request. */
        void refresh();

        /** No refresh succeeded in time: the session is over (§10: send BYE). */
        void expire();
    }

    /** The most time ahead of the expiry at which the session is given up (§10). */
    static final long MAX_GIVE_UP_AHEAD_SECONDS = 32;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Scheduler scheduler;
    private final Actions actions;
    private Cancellable refreshTimer;
    private Cancellable expiryTimer;
    private int interval = -1;

    SessionTimer(Scheduler scheduler, Actions actions) {
        this.scheduler = scheduler;
        this.actions = actions;
    }

    /** A 2xx to a session refresh request settled {@code intervalSeconds} with us as refresher or not: restart. */
    void start(int intervalSeconds, boolean weRefresh) {
        stop();
        this.interval = intervalSeconds;
        if (weRefresh) {
            refreshTimer = scheduler.schedule(this::refreshDue, intervalSeconds * NANOS_PER_SECOND / 2);
        }
        long ahead = Math.min(MAX_GIVE_UP_AHEAD_SECONDS, intervalSeconds / 3);
        expiryTimer = scheduler.schedule(this::expiryDue, (intervalSeconds - ahead) * NANOS_PER_SECOND);
    }

    /** No session timer any more (a refresh without Session-Expires, or the dialog ended). */
    void stop() {
        if (refreshTimer != null) {
            refreshTimer.cancel();
            refreshTimer = null;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        interval = -1;
    }

    /** The session interval in seconds, -1 when none runs. */
    int interval() {
        return interval;
    }

    private void refreshDue() {
        refreshTimer = null;
        actions.refresh();
    }

    private void expiryDue() {
        expiryTimer = null;
        if (refreshTimer != null) {
            refreshTimer.cancel();
            refreshTimer = null;
        }
        interval = -1;
        actions.expire();
    }
}
