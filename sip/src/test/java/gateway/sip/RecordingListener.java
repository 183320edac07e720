package gateway.sip;

import java.util.ArrayList;
import java.util.List;

/** Records call events in order. */
final class RecordingListener implements CallListener {

    final List<String> events = new ArrayList<>();

    @Override public void onAck() { events.add("ack"); }
    @Override public void onMediaChanged(NegotiatedMedia media) { events.add("media " + media.direction().attribute()); }
    @Override public void onMediaFailed(String reason) { events.add("mediaFailed"); }
    @Override public void onRemoteBye() { events.add("remoteBye"); }
    @Override public void onCancel() { events.add("cancel"); }
    @Override public void onAckTimeout() { events.add("ackTimeout"); }
    @Override public void onTerminated() { events.add("terminated"); }
}
