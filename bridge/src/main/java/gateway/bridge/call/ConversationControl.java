package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.tools.Tool;
import gateway.bridge.tools.ToolInvocation;
import gateway.bridge.tools.ToolResult;
import gateway.library.CallUsage;
import gateway.library.ToolCall;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How the agent leads a call beyond answering the caller: it greets first when the profile says so, prompts a caller
 * who stays silent and ends the call politely when the caller stays so ({@code caller_silent}), runs the tools the
 * model calls ({@link ToolRunner}), hangs up after its goodbye when the model calls end_call ({@code agent_hangup}),
 * transfers the caller once the agent has told them when the model calls transfer_call (telling the model when the
 * transfer failed, so the call goes on), keeps the gateway's own responses to one at a time ({@link ResponseGate}),
 * and accounts for the Realtime sessions' errors, rate limits and token usage.
 *
 * <p>Call's loop only. {@link #played()} and {@link #idle()} run every 20 ms tick and allocate nothing.
 */
final class ConversationControl {

    private static final System.Logger LOG = System.getLogger(ConversationControl.class.getName());
    /** A hang-up waits at most this long for the goodbye to play: a reply longer than this is not a goodbye. */
    static final long HANGUP_DEADLINE_NANOS = 30_000_000_000L;
    static final String GREETING_NOTE = "The call has just been answered. Greet the caller now by saying: ";
    static final String SILENCE_NOTE = "The caller has not said anything for a while. Ask briefly whether they are"
            + " still there.";
    static final String SAY_NOTE = "A supervisor asks you to say this to the caller now, word for word: ";
    static final String GOODBYE_NOTE = "The caller has still said nothing. Say a short, polite goodbye now; the"
            + " call ends after it.";
    static final String SHUTDOWN_NOTE = "The call must end now: the service is shutting down. Say this to the"
            + " caller now, word for word, and nothing else; the call ends after it: ";

    /** What the control needs of the call. */
    interface Call {

        /** True while the call is answered and not held: audio flows both ways. */
        boolean talking();

        /** True when nothing is queued for playout (agent audio, the consent announcement). */
        boolean playoutIdle();

        /** True when nobody speaks, nothing plays and no reply is expected (the conversation's own view). */
        boolean quiet();

        /** Pauses ({@code paused} true) or resumes the recording, by a tool; true if it changed. */
        boolean pauseRecording(boolean paused);

        /** Ends the call now, with the gateway's BYE. */
        void hangUp(EndReason reason);

        /** Sends keys to the caller's side as RFC 4733 events; false if the media refused them. */
        boolean sendDigits(String keys, int durationMs);

        /** Sends the REFER for {@code request} now; a failure comes back through {@code transferFailed}. */
        void transfer(BuiltInTools.TransferRequest request);
    }

    private final String callId;
    private final AgentProfile agent;
    private final Scheduler scheduler;
    private final GatewayMetrics metrics;
    private final Call call;
    private final Consumer<ClientEvent> live;
    private final ResponseGate responses;
    private final ToolRunner tools;
    private final SilenceWatch silence;
    private CallUsage usage = CallUsage.NONE;
    /** The session's instructions now: the profile's, until a supervisor sets others. */
    private String instructions;
    private EndReason hangUp;
    private boolean awaitingHangUpResponse;
    private Cancellable hangUpDeadline;
    /** The transfer the model asked for, from its tool call until it fails (or the call ends); else null. */
    private BuiltInTools.TransferRequest transfer;
    /** True until the reply that tells the caller of the transfer is done. */
    private boolean awaitingTransferReply;
    /** True once the REFER went out. */
    private boolean transferSent;
    private Cancellable transferDeadline;

    /**
     * @param live       sends an event to the live session (dropped while there is none)
     * @param positionMs the recording position now, in ms
     * @param identity   the call's tool invocations: (tool, call_id, arguments) → invocation
     */
    ConversationControl(String callId, AgentProfile agent, Scheduler scheduler, GatewayMetrics metrics, Call call,
                        Consumer<ClientEvent> live, LongSupplier positionMs, Invocations identity) {
        this.callId = callId;
        this.agent = agent;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.call = call;
        this.live = live;
        this.instructions = agent.base().instructions();
        this.responses = new ResponseGate(callId, live);
        List<Tool> all = new ArrayList<>(BuiltInTools.tools(agent.pauseTools(), agent.endCallTool(), agent.dtmfTool(),
                agent.transfer(),
                new BuiltInTools.Actions() {
                    @Override
                    public boolean pauseRecording(boolean paused) {
                        return call.pauseRecording(paused);
                    }

                    @Override
                    public void endCall() {
                        hangUpAfterReply(EndReason.AGENT_HANGUP, responses.responding(), HANGUP_DEADLINE_NANOS);
                    }

                    @Override
                    public boolean sendDigits(String keys, int durationMs) {
                        return call.sendDigits(keys, durationMs);
                    }

                    @Override
                    public ToolResult transfer(BuiltInTools.TransferRequest request) {
                        return transferAfterReply(request);
                    }
                }));
        all.addAll(agent.tools());
        this.tools = new ToolRunner(callId, scheduler, all, metrics, positionMs, new ToolRunner.Context() {
            @Override
            public ToolInvocation invocation(String tool, String toolCallId, String arguments) {
                return identity.of(tool, toolCallId, arguments);
            }

            @Override
            public void requestResponse() {
                responses.request(null);
            }

            @Override
            public boolean continues() {
                return hangUp == null;
            }
        });
        this.silence = new SilenceWatch(scheduler, agent.silence(), this::quiet, new SilenceWatch.Listener() {
            @Override
            public void prompt(int n) {
                LOG.log(Level.INFO, "call {0}: the caller is silent; prompt {1}", callId, String.valueOf(n));
                responses.request(instructions(SILENCE_NOTE));
            }

            @Override
            public void giveUp() {
                LOG.log(Level.INFO, "call {0}: the caller stayed silent after {1} prompts; saying goodbye", callId,
                        String.valueOf(agent.silence().maxPrompts()));
                responses.request(instructions(GOODBYE_NOTE));
                hangUpAfterReply(EndReason.CALLER_SILENT, true, HANGUP_DEADLINE_NANOS);
            }
        });
    }

    /** Makes the tool invocations of this call: its id, profile, caller and callee. */
    @FunctionalInterface
    interface Invocations {
        ToolInvocation of(String tool, String toolCallId, String arguments);
    }

    /** The call was answered and its first session went live: the greeting, and the watch for silence. */
    void answered() {
        if (agent.greeting() != null) {
            responses.request(instructions(GREETING_NOTE + agent.greeting()));
        }
        silence.start();
    }

    /**
     * A supervisor's text for the agent to say next: a note in the conversation now, and a response that says it once
     * no other is active (one active response at a time).
     */
    void say(String text) {
        live.accept(new ClientEvent.ConversationItemCreate(new ClientEvent.ConversationItem.SystemText(SAY_NOTE
                + text)));
        responses.request(instructions(SAY_NOTE + text));
    }

    /**
     * A drain's end: the requests the gateway had waiting and a transfer not yet sent are dropped, the agent says
     * {@code text}, and the call hangs up ({@code shutdown}) once that has played, or after {@code maxNanos}. A
     * hang-up already under way keeps its own goodbye and reason, bounded by {@code maxNanos} from now.
     */
    void goodbye(String text, long maxNanos) {
        if (transfer != null && !transferSent) {
            transfer = null;
            transferDeadline.cancel();
        }
        if (hangUp != null) {
            hangUpDeadline.cancel();
            hangUpDeadline = scheduler.schedule(() -> call.hangUp(hangUp), maxNanos);
            return;
        }
        responses.clear();
        responses.request(instructions(SHUTDOWN_NOTE + text));
        hangUpAfterReply(EndReason.SHUTDOWN, true, maxNanos);
    }

    /** A supervisor set the session's instructions: the gateway's own notes (prompts, greeting) build on them now. */
    void instructionsChanged(String text) {
        instructions = text;
    }

    // ---- server events of the live session, from the router ----

    void responseCreated(String responseId) {
        responses.created(responseId);
        silence.activity();
    }

    void responseDone(ServerEvent.ResponseDone done) {
        responses.done(done.responseId());
        tools.responseDone(String.valueOf(done.responseId()), done.status(), done.reason());
        silence.activity();
        if (done.usage() != null) {
            ServerEvent.Usage u = done.usage();
            usage = usage.plus(u.inputTextTokens(), u.inputAudioTokens(), u.inputCachedTokens(), u.outputTextTokens(),
                    u.outputAudioTokens());
            metrics.tokensUsed(u.inputTextTokens(), u.inputAudioTokens(), u.inputCachedTokens(),
                    u.outputTextTokens(), u.outputAudioTokens());
        }
        if ("failed".equals(done.status())) {
            metrics.realtimeError(done.errorType(), done.errorCode());
            LOG.log(Level.WARNING, "call {0}: a response failed: {1}/{2}", callId, done.errorType(),
                    done.errorCode());
        }
        if (hangUp != null && awaitingHangUpResponse && responses.idle()) {
            awaitingHangUpResponse = false;
        }
        if (transfer != null && awaitingTransferReply && responses.idle()) {
            awaitingTransferReply = false;
        }
        maybeHangUp();
        maybeTransfer();
    }

    void functionCall(RealtimeLeg leg, ServerEvent.FunctionCallArgumentsDone call) {
        tools.called(leg, call);
    }

    void outputItemAdded(ServerEvent.OutputItemAdded added) {
        if (ServerEvent.OutputItemDone.MCP_CALL.equals(added.itemType())) {
            tools.mcpCallStarted(added.itemId());
        }
    }

    /** A response's item is done: a remote MCP server's call is logged, a request to approve one is refused. */
    void outputItemDone(RealtimeLeg leg, ServerEvent.OutputItemDone done) {
        if (ServerEvent.OutputItemDone.MCP_CALL.equals(done.itemType())) {
            tools.mcpCallDone(done);
        } else if (ServerEvent.OutputItemDone.MCP_APPROVAL_REQUEST.equals(done.itemType())) {
            tools.mcpApprovalRequested(leg, done);
        }
    }

    /** An {@code error} of the live session: counted by its code; a refusal of our response.create is handled. */
    void error(ServerEvent.ErrorEvent error) {
        metrics.realtimeError(error.errorType(), error.code());
        responses.error(error.code(), error.eventId());
    }

    void rateLimits(ServerEvent.RateLimitsUpdated limits) {
        for (ServerEvent.RateLimit limit : limits.limits()) {
            metrics.rateLimit(limit.name(), limit.limit(), limit.remaining());
        }
    }

    void callerSpeechStarted() {
        silence.callerSpoke();
    }

    void callerSpeechStopped() {
        silence.callerSpoke();
    }

    // ---- playout, every tick ----

    /** A frame of agent audio was played. */
    void played() {
        silence.activity();
    }

    /** A tick found nothing to play: a hang-up waiting for the goodbye to end may go now. */
    void idle() {
        if (hangUp != null) {
            maybeHangUp();
        }
        if (transfer != null) {
            maybeTransfer();
        }
    }

    /** True while a tool call or a hang-up is under way: no session may be swapped now. */
    boolean busy() {
        return tools.busy() || hangUp != null || transfer != null;
    }

    /** Another session took over the call. */
    void sessionReplaced() {
        responses.sessionReplaced();
        tools.sessionReplaced();
    }

    /** The call ends: timers stop, running tools are cancelled. */
    void end() {
        silence.stop();
        tools.end();
        responses.clear();
        if (hangUpDeadline != null) {
            hangUpDeadline.cancel();
        }
        if (transferDeadline != null) {
            transferDeadline.cancel();
        }
    }

    /**
     * The transfer the model asked for failed (the call goes on): the model gets a {@code function_call_output} for
     * its transfer_call saying so, and is asked to go on, so it can tell the caller.
     */
    void transferFailed(BuiltInTools.TransferRequest failed, int status, String why) {
        if (transfer != failed) {
            return;
        }
        transfer = null;
        LOG.log(Level.INFO, "call {0}: the transfer failed ({1}): {2}", callId, String.valueOf(status), why);
        String output = new ToolResult.Failure("transfer_failed", "The transfer failed (SIP " + status + ": "
                + why + "). The caller is still on the line with you: tell them, and go on helping them.").output();
        live.accept(new ClientEvent.ConversationItemCreate(
                new ClientEvent.ConversationItem.FunctionCallOutput(failed.toolCallId(), output)));
        responses.request(null);
        silence.start();
    }

    /** The tool calls so far, for call.json. */
    List<ToolCall> toolLog() {
        return tools.log();
    }

    /** The tokens used so far, for call.json. */
    CallUsage usage() {
        return usage;
    }

    /** The session's instructions with {@code note} for one response. */
    private String instructions(String note) {
        String base = instructions;
        return base == null || base.isBlank() ? note : base + "\n\n" + note;
    }

    /**
     * The agent ends the call once its reply has been played: the one under way ({@code awaitReply} true: it is
     * active or about to be asked for), else what is queued now; after {@code deadlineNanos} at the latest.
     */
    private void hangUpAfterReply(EndReason reason, boolean awaitReply, long deadlineNanos) {
        if (hangUp != null) {
            return;
        }
        hangUp = reason;
        awaitingHangUpResponse = awaitReply;
        silence.stop();
        LOG.log(Level.INFO, "call {0}: the agent ends the call ({1}) after its reply", callId, reason.label());
        hangUpDeadline = scheduler.schedule(() -> call.hangUp(hangUp), deadlineNanos);
    }

    /**
     * The model asked for a transfer: its output tells it to tell the caller, and the REFER goes out once that reply
     * has been played (or after {@link #HANGUP_DEADLINE_NANOS}, a reply that long being no notice of transfer).
     */
    private ToolResult transferAfterReply(BuiltInTools.TransferRequest request) {
        if (transfer != null || hangUp != null) {
            return new ToolResult.Failure("busy", transfer != null ? "A transfer is already under way."
                    : "The call is ending.");
        }
        transfer = request;
        awaitingTransferReply = true;
        transferSent = false;
        silence.stop();
        LOG.log(Level.INFO, "call {0}: the agent transfers the caller to {1} after its reply", callId,
                request.target());
        transferDeadline = scheduler.schedule(this::sendTransfer, HANGUP_DEADLINE_NANOS);
        return new ToolResult.Success("{\"transfer\":\"starting\",\"instructions\":\"Tell the caller now, in one"
                + " short sentence, that you are transferring them to a person. The transfer starts as soon as you"
                + " have said it.\"}");
    }

    private void maybeTransfer() {
        if (transfer != null && !transferSent && !awaitingTransferReply && responses.idle() && call.playoutIdle()) {
            sendTransfer();
        }
    }

    private void sendTransfer() {
        if (transfer == null || transferSent) {
            return;
        }
        transferSent = true;
        if (transferDeadline != null) {
            transferDeadline.cancel();
        }
        call.transfer(transfer);
    }

    private void maybeHangUp() {
        if (hangUp != null && !awaitingHangUpResponse && responses.idle() && call.playoutIdle()) {
            call.hangUp(hangUp);
        }
    }

    private boolean quiet() {
        return call.talking() && call.quiet() && responses.idle() && !tools.busy();
    }
}
