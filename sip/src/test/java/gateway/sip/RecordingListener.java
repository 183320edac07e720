package gateway.sip;

import java.util.ArrayList;
import java.util.List;

/** Records call events in order, and the media of each onMediaChanged. */
final class RecordingListener implements CallListener {

    final List<String> events = new ArrayList<>();
    final List<NegotiatedMedia> media = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    /** Runs inside onMediaChanged, to look at the world at that moment. */
    Runnable duringMediaChanged = () -> { };

    @Override public void onAck() {
        events.add("ack");
    }
    @Override public void onMediaChanged(NegotiatedMedia changed) {
        events.add("media " + changed.direction().attribute());
        media.add(changed);
        duringMediaChanged.run();
    }
    @Override public void onMediaFailed(String reason) {
        events.add("mediaFailed");
        failures.add(reason);
    }
    @Override public void onRemoteBye() {
        events.add("remoteBye");
    }
    @Override public void onCancel() {
        events.add("cancel");
    }
    @Override public void onAckTimeout() {
        events.add("ackTimeout");
    }
    @Override public void onInfoDigit(char digit, int durationMs) {
        events.add("digit " + digit + " " + durationMs);
    }
    @Override public void onTerminated() {
        events.add("terminated");
    }
}
