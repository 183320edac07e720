package gateway.sip;

import gateway.time.Cancellable;
import gateway.time.Scheduler;

/**
 * Sends a message again and again until stopped, and gives up 64*T1 after the start: timers A/B (RFC 3261
 * §17.1.1.2), E/F (§17.1.2.2), G/H (§17.2.1) and the 2xx retransmission of the UAS core (§13.3.1.4). Over a
 * reliable transport only the give-up timer runs. Used on the SIP event loop only.
 */
final class Retransmission {

    /** How the interval grows after the first T1. */
    enum Backoff {
        /** Timer A: doubles without bound. */
        DOUBLING,
        /** Timers E and G and the 2xx: doubles up to T2. */
        DOUBLING_TO_T2
    }

    private final Scheduler scheduler;
    private final Backoff backoff;
    private final Runnable resend;
    private final Runnable giveUp;
    private Cancellable resendTimer;
    private Cancellable giveUpTimer;
    private long interval = SipTimers.T1;
    private boolean stopped;

    private Retransmission(Scheduler scheduler, Backoff backoff, Runnable resend, Runnable giveUp) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.resend = resend;
        this.giveUp = giveUp;
    }

    /**
     * Starts both timers now (the first send is the caller's): {@code resend} runs after T1, 2*T1, …, unless
     * {@code reliable}; {@code giveUp} runs once after 64*T1 unless stopped before.
     */
    static Retransmission start(Scheduler scheduler, boolean reliable, Backoff backoff, Runnable resend,
                                Runnable giveUp) {
        Retransmission retransmission = new Retransmission(scheduler, backoff, resend, giveUp);
        if (!reliable) {
            retransmission.resendTimer = scheduler.schedule(retransmission::fireResend, retransmission.interval);
        }
        retransmission.giveUpTimer = scheduler.schedule(retransmission::fireGiveUp, SipTimers.TIMEOUT);
        return retransmission;
    }

    /** Timer E once a provisional response came (§17.1.2.2): every T2 from the next send on. */
    void slowToT2() {
        interval = SipTimers.T2;
    }

    /** Stops resending but keeps the give-up timer (a provisional response came to our INVITE, §17.1.1.2). */
    void stopResending() {
        if (resendTimer != null) {
            resendTimer.cancel();
            resendTimer = null;
        }
        interval = Long.MAX_VALUE;
    }

    /** Cancels both timers; idempotent. */
    void stop() {
        stopped = true;
        if (resendTimer != null) {
            resendTimer.cancel();
            resendTimer = null;
        }
        if (giveUpTimer != null) {
            giveUpTimer.cancel();
            giveUpTimer = null;
        }
    }

    private void fireResend() {
        if (stopped || interval == Long.MAX_VALUE) {
            return;
        }
        resend.run();
        if (stopped) {
            return;
        }
        interval = backoff == Backoff.DOUBLING ? interval * 2 : Math.min(interval * 2, SipTimers.T2);
        resendTimer = scheduler.schedule(this::fireResend, interval);
    }

    private void fireGiveUp() {
        if (stopped) {
            return;
        }
        stop();
        giveUp.run();
    }
}
