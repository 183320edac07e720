package gateway.bridge.call;

import gateway.sip.CallListener;
import gateway.sip.InDialogNotify;
import gateway.sip.InboundCall;
import gateway.sip.NegotiatedMedia;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The call's SIP dialog: the {@link InboundCall} to act on, and its listener, which turns each callback (on the SIP
 * loop) into a {@link SipEvent} delivered on the call's loop, in order.
 */
final class SipLeg implements CallListener {

    private final InboundCall dialog;
    private final Executor callLoop;
    private final Consumer<SipEvent> call;

    SipLeg(InboundCall dialog, Executor callLoop, Consumer<SipEvent> call) {
        this.dialog = dialog;
        this.callLoop = callLoop;
        this.call = call;
    }

    InboundCall dialog() {
        return dialog;
    }

    /** Starts listening: set before ringing or answering. */
    void listen() {
        dialog.setListener(this);
    }

    private void deliver(SipEvent event) {
        callLoop.execute(() -> call.accept(event));
    }

    @Override
    public void onAck() {
        deliver(new SipEvent.Acked());
    }

    @Override
    public void onMediaChanged(NegotiatedMedia media) {
        deliver(new SipEvent.MediaChanged(media));
    }

    @Override
    public void onMediaFailed(String reason) {
        deliver(new SipEvent.MediaFailed(reason));
    }

    @Override
    public void onInfoDigit(char digit, int durationMs) {
        deliver(new SipEvent.InfoDigit(digit, durationMs));
    }

    @Override
    public void onRemoteBye() {
        deliver(new SipEvent.RemoteBye());
    }

    @Override
    public void onCancel() {
        deliver(new SipEvent.Cancelled());
    }

    @Override
    public void onAckTimeout() {
        deliver(new SipEvent.AckTimedOut());
    }

    @Override
    public void onSessionExpired() {
        deliver(new SipEvent.SessionExpired());
    }

    /** A NOTIFY in the dialog was answered 200 by the SIP layer: a transfer's progress, for the call. */
    @Override
    public void onNotify(InDialogNotify notify) {
        deliver(new SipEvent.Notified(notify));
    }

    @Override
    public void onTerminated() {
        deliver(new SipEvent.Terminated());
    }
}
