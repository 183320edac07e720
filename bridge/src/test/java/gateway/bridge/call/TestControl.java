package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.tools.ToolInvocation;
import gateway.realtime.ClientEvent;
import gateway.realtime.SessionSettings;
import gateway.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The call's side of a {@link ConversationControl} in tests that run it without a {@link Call}: records the
 * recording pauses and hang-ups it asks for, and says whatever the test sets about the call.
 */
final class TestControl implements ConversationControl.Call {

    /** The agent of the router and legs tests: the pause tools and end_call, nothing else. */
    static final AgentProfile AGENT = new AgentProfile(AgentProfile.DEFAULT_NAME,
            new SessionSettings("Be brief.", "marin", "gpt-4o-mini-transcribe"), null, null, true, true, List.of());

    final List<Boolean> pauses = new ArrayList<>();
    final List<EndReason> hangUps = new ArrayList<>();
    final List<String> keysSent = new ArrayList<>();
    boolean sendsKeys = true;
    boolean talking = true;
    boolean playoutIdle = true;
    boolean quiet = true;

    /** A control of call {@code callId} running {@code agent}, sending to the live session through {@code live}. */
    ConversationControl control(String callId, AgentProfile agent, Scheduler scheduler, GatewayMetrics metrics,
                                Consumer<ClientEvent> live) {
        return new ConversationControl(callId, agent, scheduler, metrics, this, live, () -> 0,
                (tool, toolCallId, arguments) -> new ToolInvocation(callId, agent.name(), tool, toolCallId, arguments,
                        "sip:caller@example.com", "sip:agent@example.com"));
    }

    @Override
    public boolean talking() {
        return talking;
    }

    @Override
    public boolean playoutIdle() {
        return playoutIdle;
    }

    @Override
    public boolean quiet() {
        return quiet;
    }

    @Override
    public boolean pauseRecording(boolean paused) {
        pauses.add(paused);
        return true;
    }

    @Override
    public void hangUp(EndReason reason) {
        hangUps.add(reason);
    }

    @Override
    public boolean sendDigits(String keys, int durationMs) {
        keysSent.add(keys + "/" + durationMs);
        return sendsKeys;
    }
}
