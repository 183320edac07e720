package gateway.bridge.call;

import gateway.sip.InDialogNotify;
import gateway.sip.InboundCall;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.util.concurrent.TimeUnit;

/**
 * One blind transfer of the caller (RFC 5589 §6): our REFER (RFC 3515 §2.4) to {@code target}, then the NOTIFYs of
 * its implicit subscription whose {@code message/sipfrag} bodies (RFC 3420) give the transferee's answer. A 2xx
 * sipfrag means the caller was handed over; a REFER refused (any non-2xx final response), a sipfrag of 300 or more,
 * a subscription terminated without a final answer, or no final answer within the timeout means it failed and the
 * call goes on. The outcome is told once.
 *
 * <p>Call's loop only (the REFER's answer hops back to it).
 */
final class ReferTransfer {

    /** Told once, on the call's loop, how the transfer ended. */
    interface Outcome {

        /** The transferee answered ({@code status}, a 2xx): the gateway may hang up. */
        void succeeded(ReferTransfer transfer, int status);

        /** The transfer failed with {@code status} (408: timeout); {@code why} says how, for logs and the model. */
        void failed(ReferTransfer transfer, int status, String why);
    }

    private final String target;
    private final long atMs;
    private final Outcome outcome;
    private Cancellable deadline;
    private boolean over;

    ReferTransfer(String target, long atMs, Outcome outcome) {
        this.target = target;
        this.atMs = atMs;
        this.outcome = outcome;
    }

    /** Where the caller is sent (without the context headers). */
    String target() {
        return target;
    }

    /** When the REFER went out, on the recording's timeline. */
    long atMs() {
        return atMs;
    }

    /** Sends the REFER; the outcome comes within {@code timeoutMs}. */
    void start(InboundCall dialog, String referTo, String referredBy, Scheduler scheduler, long timeoutMs) {
        deadline = scheduler.schedule(() -> fail(408, "no final NOTIFY within " + timeoutMs + " ms"),
                TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        dialog.refer(referTo, referredBy).whenComplete((status, error) -> scheduler.execute(() -> {
            if (error != null) {
                fail(500, "the REFER could not be sent: " + error.getMessage());
            } else if (status < 200 || status >= 300) {
                fail(status, "the REFER was refused with " + status);
            }
        }));
    }

    /** A NOTIFY in the dialog: a {@code refer} event's sipfrag carries the transferee's answer. */
    void notified(InDialogNotify notify) {
        if (over || !"refer".equals(notify.eventPackage())) {
            return;
        }
        int status = notify.sipfragStatus();
        if (status >= 200 && status < 300) {
            over = true;
            cancelDeadline();
            outcome.succeeded(this, status);
        } else if (status >= 300) {
            fail(status, "the transferee answered " + status);
        } else if (notify.terminated()) {
            fail(status < 0 ? 500 : status, "the subscription ended without a final answer");
        }
    }

    /** The call ended first: nothing more is told. */
    void cancel() {
        over = true;
        cancelDeadline();
    }

    private void fail(int status, String why) {
        if (over) {
            return;
        }
        over = true;
        cancelDeadline();
        outcome.failed(this, status, why);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
