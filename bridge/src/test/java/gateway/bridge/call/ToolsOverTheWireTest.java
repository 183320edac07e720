package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.config.ConfigLoader;
import gateway.config.GatewayConfig;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeClient;
import gateway.realtime.RealtimeConnection;
import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import gateway.testkit.Signals;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The tools' round trip (docs/realtime-protocol.md §5.4) with the real client and the demo agent as the model, run by
 * the call's {@link ConversationControl}: the gateway's session.update with the tools passes the agent's checks, the
 * agent calls pause_recording after the caller's first turn and resume_recording after the second, and each output
 * goes back for its call_id, with a response.create only after the call's response.done, before the model speaks.
 */
class ToolsOverTheWireTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private static final long WAIT_MS = 10_000;
    private static final AgentProfile AGENT = TestControl.AGENT;

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Feeds server events to the call's control as {@code Call} does, and completes a future per spoken reply. */
    private static final class Model implements RealtimeListener {
        final TestControl call = new TestControl();
        final List<CompletableFuture<Void>> spoken = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        final RealtimeLeg leg = new RealtimeLeg(0, null);
        final ConversationControl control = call.control("call-1", AGENT, Scheduler.on(LOOP), new GatewayMetrics(),
                leg::send);
        volatile RealtimeConnection connection;
        private int replies;

        @Override
        public void onEvent(ServerEvent event) {
            switch (event) {
                case ServerEvent.ResponseCreated created -> control.responseCreated(created.responseId());
                case ServerEvent.FunctionCallArgumentsDone call -> control.functionCall(leg, call);
                case ServerEvent.ResponseDone done -> {
                    boolean called = control.busy();
                    control.responseDone(done);
                    if (!called && replies < spoken.size()) {
                        spoken.get(replies++).complete(null);
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
        }

        @Override
        public void onClosed(int statusCode, String reason) {
        }
    }

    @Test
    void theModelPausesAndResumesTheRecordingAndEachOutputAnswersItsCall() throws Exception {
        DemoScript script = DemoScript.defaults().withReplyMode(DemoScript.ReplyMode.TONE).withToneMs(300)
                .withReplyDelayMs(0).withToolCall(1, BuiltInTools.PAUSE, "{}")
                .withToolCall(2, BuiltInTools.RESUME, "{}");
        GatewayConfig config = ConfigLoader.load(List.of(), Map.of());
        SessionSettings asTheGatewaySendsIt = new AgentProfile(AgentProfile.DEFAULT_NAME, new SessionSettings(
                config.agent().instructions(), config.agent().voice(), config.agent().transcriptionModel()), null,
                null, true, true, List.of()).session();
        try (DemoAgent agent = DemoAgent.start(script)) {
            Model model = new Model();
            model.connection = new RealtimeClient().connect(agent.url(), null, LOOP, model)
                    .get(WAIT_MS, TimeUnit.MILLISECONDS);
            model.leg.linked(model.connection);
            model.leg.state(RealtimeLeg.State.LIVE);
            model.connection.send(new ClientEvent.SessionUpdate(asTheGatewaySendsIt));
            short[] turn = Signals.concat(Signals.tone(400, 300, -10), Signals.silence(800));
            for (CompletableFuture<Void> reply : model.spoken) {
                LOOP.submit(() -> {
                    for (int at = 0; at < turn.length; at += 480) {
                        model.connection.appendAudio(turn, at, 480);
                    }
                }).get(WAIT_MS, TimeUnit.MILLISECONDS);
                reply.get(WAIT_MS, TimeUnit.MILLISECONDS);
            }
            LOOP.submit(() -> { }).get(WAIT_MS, TimeUnit.MILLISECONDS); // the last callback has returned

            DemoConnection seen = agent.connection(1);
            assertEquals(List.of(), seen.refusals(), "nothing the gateway sent was refused");
            assertEquals(List.of(true, false), model.call.pauses);
            List<DemoConnection.ToolCall> calls = seen.toolCalls();
            assertEquals(List.of(BuiltInTools.PAUSE, BuiltInTools.RESUME),
                    calls.stream().map(DemoConnection.ToolCall::name).toList());
            assertEquals(List.of("{\"recording\":\"paused\",\"changed\":true}",
                    "{\"recording\":\"recording\",\"changed\":true}"),
                    calls.stream().map(DemoConnection.ToolCall::output).toList(), "each output for its call_id");
            assertEquals(List.of("input_audio", "function_call", "function_call_output", "output_audio",
                    "input_audio", "function_call", "function_call_output", "output_audio"),
                    seen.conversation().stream().map(DemoConnection.Item::contentType).toList(),
                    "the model speaks after each call's output");
            model.connection.close();
        }
    }
}
