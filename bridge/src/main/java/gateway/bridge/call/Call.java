package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.tools.ToolInvocation;
import gateway.library.CallAction;
import gateway.library.CallMetadata;
import gateway.library.CallQuality;
import gateway.library.CallTransfer;
import gateway.library.CallUsage;
import gateway.library.KeyPress;
import gateway.library.ReplayOrigin;
import gateway.library.ToolCall;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.rtp.RtpStreamSpec;
import gateway.sip.InboundCall;
import gateway.sip.NegotiatedMedia;
import gateway.time.CallTimeline;
import gateway.time.Scheduler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One phone call: a SIP dialog, a media leg, one Realtime session at a time and a recording, joined by one state
 * machine ({@link CallState}). Each leg can change while the call runs: the caller's re-INVITE or UPDATE gives the
 * media leg a new address, payload type or direction (hold); the Realtime leg is replaced at its 60-minute limit or
 * after a failure ({@link RealtimeLegs}); the recording's timeline ({@link CallClock}) stays one, sample 0 being the
 * answer. Server events are routed in one place ({@link ServerEventRouter}); the recording's side of the call is
 * {@link RecordingLeg}.
 *
 * <p>Order of events (connect before answer): INVITE → 180 → open the RTP port and the first Realtime session →
 * session.update → 200 OK once it is configured → media. With early media ({@code agent.early-media: consent},
 * RFC 3960): INVITE → open the RTP port → 183 with our SDP answer (reliable under 100rel) → the recording and media
 * start and the consent prompt plays → open the first Realtime session → 200 OK with the same SDP once it is
 * configured. The session opens only after the prompt, so a caller who hangs up during it costs no session; the
 * price is the session's set-up time, heard as silence between the prompt and the 200.
 * {@code sip.answer-delay-ms} still holds as the least time from the INVITE to the 200. A failure in one call's
 * handling (a packet, a tick, an event) ends that call alone with {@code internal_error}: BYE, and the recording
 * finished.
 *
 * <p>Threading: every field is owned by the call's event loop (the {@link CallRuntime#scheduler()}'s thread). The
 * RTP channel and the Realtime sockets are registered on it, so their callbacks arrive there; SIP events arrive on
 * the SIP loop and hop over ({@link SipLeg}). Nothing here blocks; the recorder copies samples into its own queue.
 */
public final class Call implements MediaListener, RealtimeLegs.Events {

    private static final Logger LOG = System.getLogger(Call.class.getName());
    /** The text of a turn said while recording was paused. */
    static final String NOT_RECORDED = RecordingLeg.NOT_RECORDED;
    /** Keys the model is told of per call: a caller flooding INFOs or events cannot flood the session with items. */
    static final int MAX_KEYS_TOLD = RecordingLeg.MAX_KEYS;

    private final CallContext ctx;
    private final String id;
    private final AgentProfile agent;
    /** What the INVITE told of the call: From, To and the profile's listed headers. */
    private final SipContext context;
    private final Scheduler scheduler;
    private final MediaOpener mediaOpener;
    private final SipLeg sip;
    private final CallClock clock;
    private final Conversation conversation;
    private final RealtimeLegs realtime;
    private final RecordingLeg recording;
    private final ServerEventRouter router;
    private final ConversationControl control;
    private final ListenTap listeners;
    /** The model's G.711 audio against the call's 24 kHz audio; null when the model takes 24 kHz PCM. */
    private final ModelAudio modelAudio;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Instant startedAt;
    /** The recorded call this one replays; null for a phone call. */
    private final ReplayOrigin replay;

    private CallState state = CallState.CONNECTING;
    private int keysTold;
    private MediaLeg media;
    private NegotiatedMedia negotiated;
    /** The consent prompt goes out as early media in a 183 before the answer (the profile asks, the INVITE offers). */
    private final boolean earlyMedia;
    /** True while the call still rings for {@code sip.answer-delay-ms}: no answer before it is over. */
    private boolean ringing;
    /** True once the first Realtime session was asked for (after the prompt, with early media). */
    private boolean sessionRequested;
    /** True once observers were told the call was answered. */
    private boolean answerTold;
    /** When the 200 OK went out; null before. */
    private Instant answeredAt;
    /** The transfer under way (REFER sent, its outcome not yet known), or null. */
    private ReferTransfer transfer;

    /** A call of {@code profile}, the routing profile its INVITE got. */
    Call(CallContext ctx, InboundCall dialog, CallRuntime runtime, String id, AgentProfile profile) {
        this(ctx, dialog, runtime, id, profile, null);
    }

    /** As above; {@code replay} names the recorded call this one replays (into call.json), null for a phone call. */
    Call(CallContext ctx, InboundCall dialog, CallRuntime runtime, String id, AgentProfile profile,
         ReplayOrigin replay) {
        this.ctx = ctx;
        this.replay = replay;
        this.id = id;
        this.scheduler = runtime.scheduler();
        this.mediaOpener = runtime.media();
        this.sip = new SipLeg(dialog, scheduler::execute, this::onSip);
        this.clock = new CallClock(scheduler);
        this.startedAt = ctx.wallClock().instant();
        this.context = SipContext.of(dialog, profile.contextHeaders());
        this.agent = profile.forCall(context);
        G711 law = ModelAudio.law(agent.session().audioFormat());
        this.modelAudio = law == null ? null : new ModelAudio(law);
        // A late offer learns the caller's answer only from the ACK: we offer telephone-event, so send_dtmf is offered.
        boolean telephoneEvent = dialog.offeredMedia().map(m -> m.telephoneEventPt() >= 0).orElse(true);
        this.realtime = new RealtimeLegs(id, runtime.realtime(),
                new ClientEvent.SessionUpdate(agent.session(telephoneEvent)),
                ctx.policy(), scheduler, ctx.wallClock(), clock, this);
        TurnLog turns = new TurnLog();
        this.listeners = new ListenTap(ctx.wallClock());
        this.recording = new RecordingLeg(id, turns, ctx.metrics(), realtime::periods, this::codec, this::quality,
                this::toolLog, this::usage, listeners, ctx.redactor());
        // A turn finished: save the log so far, so a crash keeps it.
        this.conversation = new Conversation(id, turns, ctx.metrics(), scheduler,
                () -> recording.checkpoint(clock.positionMs()));
        this.control = new ConversationControl(id, agent, scheduler, ctx.metrics(), new ControlHooks(),
                realtime::send, clock::positionMs, (tool, toolCallId, arguments) -> new ToolInvocation(id,
                        agent.name(), tool, toolCallId, arguments, dialog.fromUri(), dialog.toUri()));
        this.router = new ServerEventRouter(realtime, conversation, control);
        // A late offer has no SDP answer for a 183: our offer may go in the 200 only (RFC 3261 §13.2.1).
        this.earlyMedia = agent.earlyMedia() && ctx.consent() != null && dialog.offeredMedia().isPresent();
    }

    /** What the conversation control may ask of and do to the call. */
    private final class ControlHooks implements ConversationControl.Call {
        @Override
        public boolean talking() {
            return state.audioFlows();
        }

        @Override
        public boolean playoutIdle() {
            return conversation.playoutIdle();
        }

        @Override
        public boolean quiet() {
            return conversation.atTurnBoundary();
        }

        @Override
        public boolean pauseRecording(boolean paused) {
            return setRecordingPaused(paused, "tool");
        }

        @Override
        public void hangUp(EndReason reason) {
            end(reason);
        }

        @Override
        public boolean sendDigits(String keys, int durationMs) {
            return state.audioFlows() && media != null && media.sendDigits(keys, durationMs);
        }

        @Override
        public void transfer(BuiltInTools.TransferRequest request) {
            boolean started = startTransfer(request.target(), request.reason(), new TransferOutcome(
                    EndReason.TRANSFERRED, (status, why) -> control.transferFailed(request, status, why), null));
            if (!started) {
                control.transferFailed(request, 481, "the call cannot be transferred now");
            }
        }
    }

    /**
     * Transfers the caller to {@code target} (a SIP URI) now, by REFER (RFC 3515, RFC 5589 §6), with the call's id
     * and {@code reason} (or null) as context; as the model's transfer_call does, without waiting for a reply.
     * Safe from any thread. Completes with the transfer's final status: a 2xx when the transferee answered (the call
     * then ends, {@code transferred}), else the failure's (408: no answer in time), the call going on; exceptionally
     * when the call is not answered, is over or is being transferred already.
     */
    public CompletableFuture<Integer> transfer(String target, String reason) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            boolean started = startTransfer(target, reason, new TransferOutcome(EndReason.TRANSFERRED,
                    (status, why) -> { }, result));
            if (!started) {
                result.completeExceptionally(new IllegalStateException(state.over() ? "the call is over"
                        : transfer != null ? "the call is being transferred" : "the call is not answered yet"));
            }
        });
        return result;
    }

    /** Sends the REFER unless the call is not answered, is over or a transfer is under way; true if sent. */
    private boolean startTransfer(String target, String reason, ReferTransfer.Outcome outcome) {
        if (transfer != null || !state.answered()) {
            return false;
        }
        TransferPolicy policy = agent.transfer();
        InboundCall dialog = sip.dialog();
        transfer = new ReferTransfer(target, clock.positionMs(), outcome);
        LOG.log(Level.INFO, "call {0}: transferring the caller to {1}", id, target);
        transfer.start(dialog, ReferContext.referTo(target, id, reason, policy), "<" + dialog.toUri() + ">",
                scheduler, policy.timeoutMs());
        return true;
    }

    /** The transfer's outcome is known: into call.json, and another may start. */
    private void transferEnded(ReferTransfer t, int status) {
        if (transfer == t) {
            transfer = null;
        }
        recording.transferred(new CallTransfer(t.target(), t.atMs(), status));
        tell(new CallEvent.Transferred(t.target(), status / 100 == 2 ? "accepted" : "failed_" + status));
        LOG.log(Level.INFO, "call {0}: the transfer to {1} ended with {2}", id, t.target(), String.valueOf(status));
    }

    /** The gateway's id of this call: the recording's directory name. */
    public String id() {
        return id;
    }

    /** Completes when the call has ended and its recording (if any) is on disk. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    CallState state() {
        return state;
    }

    /** Starts the call: rings, opens media and the first Realtime session. Runs on the call's loop. */
    void begin() {
        try {
            InboundCall dialog = sip.dialog();
            sip.listen();
            if (!earlyMedia) {
                dialog.ringing();
            }
            if (ctx.answerDelayMs() > 0) {
                ringing = true;
                scheduler.schedule(this::ringingOver, TimeUnit.MILLISECONDS.toNanos(ctx.answerDelayMs()));
            }
            negotiated = dialog.offeredMedia().orElse(null);
            RtpStreamSpec spec = negotiated == null ? MediaSpecs.awaitingAnswer() : MediaSpecs.of(negotiated);
            mediaOpener.open(spec, this).whenComplete((leg, error) -> scheduler.execute(() -> mediaOpened(leg, error)));
            if (!earlyMedia) {
                realtime.open();
            }
            LOG.log(Level.INFO, "call {0}: INVITE {1} from {2} ({3}), {4}", id, dialog.callId(), dialog.fromUri(),
                    dialog.source(), negotiated == null ? "no SDP offer: we offer" : MediaSpecs.describe(negotiated));
            tell(new CallEvent.Started(agent.name(), dialog.fromUri(), dialog.toUri(), dialog.callId(),
                    MediaSpecs.address(dialog.source())));
        } catch (RuntimeException e) {
            fail("start", e);
        }
    }

    /**
     * Pauses ({@code paused} true) or resumes the recording from outside (the QA API). Safe from any thread; the
     * future completes with whether the state changed, or exceptionally when the call is not answered or is over.
     */
    public CompletableFuture<Boolean> pauseRecording(boolean paused, String by) {
        return whileAnswered(now -> setRecordingPaused(paused, by));
    }

    /**
     * The call as the active calls API lists it. Safe from any thread; the future completes on the call's loop.
     *
     * @param state      the {@link CallState}, lower case
     * @param durationMs the recording's length so far: 0 before the answer
     */
    public record View(String id, String sipCallId, String from, String to, Instant startedAt, Instant answeredAt,
                       String state, long durationMs) {
    }

    /** This call as it is now, read on its loop. Safe from any thread. */
    public CompletableFuture<View> view() {
        return onLoop(() -> {
            InboundCall dialog = sip.dialog();
            return new View(id, dialog.callId(), dialog.fromUri(), dialog.toUri(), startedAt, answeredAt,
                    state.name().toLowerCase(Locale.ROOT), state.answered() ? clock.positionMs() : 0);
        });
    }

    /**
     * A supervisor's {@code text} for the agent to say next (after the reply under way), {@code by} {@code token} or
     * {@code loopback}; recorded in call.json. Safe from any thread; fails when the call is not answered or is over.
     */
    public CompletableFuture<Void> say(String text, String by) {
        return whileAnswered(nowMs -> {
            control.say(text);
            recording.action(new CallAction(nowMs, "say", by, text));
            LOG.log(Level.INFO, "call {0}: the agent says a supervisor''s text next ({1})", id, by);
            return null;
        });
    }

    /** New session instructions from a supervisor for the rest of the call; as {@link #say}. */
    public CompletableFuture<Void> instruct(String instructions, String by) {
        return whileAnswered(nowMs -> {
            realtime.instructions(instructions);
            control.instructionsChanged(instructions);
            recording.action(new CallAction(nowMs, "instructions", by, instructions));
            LOG.log(Level.INFO, "call {0}: new instructions from a supervisor ({1})", id, by);
            return null;
        });
    }

    /** A supervisor hangs up: BYE, {@code api_hangup}; as {@link #say}. */
    public CompletableFuture<Void> hangUp(String by) {
        return whileAnswered(nowMs -> {
            recording.action(new CallAction(nowMs, "hangup", by, null));
            end(EndReason.API_HANGUP);
            return null;
        });
    }

    /**
     * A supervisor transfers the caller to {@code target} by REFER, as the model's transfer_call does but at once;
     * as {@link #say}, completing once the REFER is sent (its outcome goes to call.json and the call events).
     */
    public CompletableFuture<Void> transfer(String target, String reason, String by) {
        return whileAnswered(nowMs -> {
            if (!startTransfer(target, reason, new TransferOutcome(EndReason.TRANSFERRED, (status, why) -> { },
                    null))) {
                throw new IllegalStateException("the call is being transferred already");
            }
            recording.action(new CallAction(nowMs, "transfer", by, target));
            return null;
        });
    }

    /**
     * A new live listener: from now on it gets what the recording gets, and the turn events. Safe from any thread;
     * fails when the call is over or has {@value ListenTap#MAX_LISTENERS} listeners already.
     */
    public CompletableFuture<ListenQueue> listen() {
        return onLoop(() -> {
            if (state.over()) {
                throw new IllegalStateException("the call is over");
            }
            ListenQueue queue = new ListenQueue();
            if (!listeners.add(queue)) {
                throw new IllegalStateException("the call has " + ListenTap.MAX_LISTENERS + " listeners already");
            }
            return queue;
        });
    }

    /** The listener has gone. Safe from any thread. */
    public void stopListening(ListenQueue queue) {
        try {
            scheduler.execute(() -> listeners.remove(queue));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "call {0}: its loop is gone; nothing to stop", id);
        }
    }

    /** Runs {@code action} (given the recording position in ms) on the call's loop if the call is answered. */
    private <T> CompletableFuture<T> whileAnswered(LongFunction<T> action) {
        return onLoop(() -> {
            if (!state.answered()) {
                throw new IllegalStateException("the call is " + (state.over() ? "over" : "not answered yet"));
            }
            return action.apply(clock.positionMs());
        });
    }

    /** Runs {@code work} on the call's loop; its failure, or a loop that no longer runs, fails the future. */
    private <T> CompletableFuture<T> onLoop(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the call is over", e));
        }
        return result;
    }

    private boolean setRecordingPaused(boolean paused, String by) {
        return state.answered() && recording.pause(paused, clock.positionMs(), by);
    }

    /** Ends the call from outside (shutdown). Safe from any thread. */
    public void shutdown() {
        scheduler.execute(() -> end(EndReason.SHUTDOWN));
    }

    /**
     * Ends the call politely from outside (a drain's end): the agent says {@code text} in place of any reply under
     * way, it plays out whole to the caller and into the recording, then BYE with {@code shutdown}; the BYE goes
     * after {@code maxMs} at the latest. A call that cannot hear it (not answered, on hold, no live Realtime session,
     * a transfer under way) or an empty {@code text} ends at once. Safe from any thread.
     */
    public void sayGoodbye(String text, long maxMs) {
        scheduler.execute(() -> {
            if (state.over()) {
                return;
            }
            RealtimeLegs.Phase phase = realtime.phase();
            boolean live = phase == RealtimeLegs.Phase.LIVE || phase == RealtimeLegs.Phase.ROLLING_OVER;
            if (text.isEmpty() || state != CallState.TALKING || !live || transfer != null) {
                end(EndReason.SHUTDOWN);
                return;
            }
            LOG.log(Level.INFO, "call {0}: the agent says goodbye before the gateway stops", id);
            conversation.cutAgentShort(realtime.live());
            control.goodbye(text, TimeUnit.MILLISECONDS.toNanos(maxMs));
        });
    }

    // ---- connecting and answering ----

    private void mediaOpened(MediaLeg leg, Throwable error) {
        if (error != null) {
            LOG.log(Level.WARNING, "call {0}: {1}", id, error.getMessage());
            reject(503, "Service Unavailable", EndReason.NO_MEDIA_PORT);
        } else if (state != CallState.CONNECTING) {
            leg.close();
        } else {
            media = leg;
            if (earlyMedia) {
                startEarlyMedia();
            } else {
                maybeAnswer();
            }
        }
    }

    /** Early media (RFC 3960): the recording is created, then the 183 carries our SDP answer. */
    private void startEarlyMedia() {
        if (!startRecording()) {
            return;
        }
        state = CallState.EARLY_MEDIA;
        recording.earlyMediaStarted();
        sip.dialog().earlyMedia(ctx.publicHost(), media.port())
                .thenAccept(sent -> scheduler.execute(() -> earlyMediaSent(sent)));
    }

    /** The 183 went out: the timeline starts, and the consent prompt plays and is recorded as the caller hears it. */
    private void earlyMediaSent(boolean sent) {
        if (state != CallState.EARLY_MEDIA) {
            return;
        }
        if (!sent) {
            end(EndReason.SIP_TERMINATED);      // the SIP layer refuses only once the dialog is over
            return;
        }
        media.start(clock.start());
        conversation.announceFirst(ctx.consent().samples());
        media.playoutReady();
        LOG.log(Level.INFO, "call {0}: early media, the consent prompt plays before the answer", id);
    }

    /** The prompt has played during early media: now the first Realtime session is opened, and the 200 waits for it. */
    private void promptPlayed() {
        if (!sessionRequested) {
            sessionRequested = true;
            realtime.open();
        }
    }

    /** Creates the call's recording; false (the call refused) when it cannot be, as no call goes unrecorded. */
    private boolean startRecording() {
        InboundCall dialog = sip.dialog();
        try {
            recording.start(ctx.recordings(), new CallMetadata(id, dialog.callId(), dialog.fromUri(), dialog.toUri(),
                    ctx.wallClock().instant(), codec(), MediaSpecs.address(dialog.source()), agent.name(),
                    context.headers(), replay));
            return true;
        } catch (IOException e) {
            // Refuse it before the answer rather than take it without a recording.
            LOG.log(Level.ERROR, "call {0}: cannot create the recording, refusing the call: {1}", id, e.toString());
            reject(503, "Service Unavailable", EndReason.RECORDING_UNAVAILABLE);
            return false;
        }
    }

    @Override
    public void onFirstSessionReady() {
        maybeAnswer();
    }

    /** The call has rung for {@code sip.answer-delay-ms}: it may be answered now. */
    private void ringingOver() {
        ringing = false;
        maybeAnswer();
    }

    /**
     * Answers once the media port and the first Realtime session are ready, and the call has rung long enough; after
     * early media, the recording and media run already and the prompt has played.
     */
    private void maybeAnswer() {
        if (!state.beforeAnswer() || media == null || realtime.phase() != RealtimeLegs.Phase.READY || ringing) {
            return;
        }
        InboundCall dialog = sip.dialog();
        if (state == CallState.CONNECTING) {
            if (!startRecording()) {
                return;
            }
            // Media runs from here, so the caller's first packets, sent as soon as the 200 arrives, are not lost.
            media.start(clock.start());
            if (ctx.consent() != null) {
                conversation.announceFirst(ctx.consent().samples());
            }
        }
        state = held(negotiated) ? CallState.ANSWERING_HELD : CallState.ANSWERING;
        realtime.goLive();
        control.answered();
        dialog.answer(ctx.publicHost(), media.port()).thenAccept(sent -> scheduler.execute(() -> answerSent(sent)));
    }

    /** The SIP layer says whether the 200 OK went out; if a CANCEL won the race, the call was never answered. */
    private void answerSent(boolean sent) {
        if (sent) {
            answeredAt = ctx.wallClock().instant();
            recording.answered(clock.positionMs());
            ctx.metrics().callAnswered();
            ctx.metrics().callSetUp(Duration.between(startedAt, answeredAt));
            LOG.log(Level.INFO, "call {0}: answered, RTP {1} <-> {2}", id, String.valueOf(media.port()),
                    negotiated == null ? "(awaiting the answer in the ACK)" : negotiated.remoteRtp());
            if (!state.over()) {
                answerTold = true;
                tell(new CallEvent.Answered(codec()));
            }
        } else {
            if (!earlyMedia) {
                recording.discard();            // after early media the caller heard the prompt: it is kept
            }
            if (state.answering()) {
                end(EndReason.SIP_TERMINATED);   // the SIP layer refuses only once the dialog is over
            }
        }
        if (state == CallState.ANSWERING) {
            state = CallState.TALKING;
        } else if (state == CallState.ANSWERING_HELD) {
            enterHold();
        } else if (state == CallState.ENDING) {
            state = CallState.ENDED;
            finishRecording();
        }
    }

    // ---- SIP events ----

    private void onSip(SipEvent event) {
        if (state.over()) {
            return;
        }
        try {
            switch (event) {
                case SipEvent.MediaChanged changed -> mediaChanged(changed.media());
                case SipEvent.MediaFailed failed -> {
                    LOG.log(Level.WARNING, "call {0}: no usable SDP answer in the ACK: {1}", id, failed.reason());
                    end(EndReason.MEDIA_NEGOTIATION_FAILED);
                }
                case SipEvent.InfoDigit key -> keyPressed(key.digit(), clock.positionMs(), key.durationMs(),
                        KeyPress.INBOUND);
                case SipEvent.RemoteBye bye -> end(EndReason.CALLER_BYE);
                case SipEvent.Cancelled cancel -> end(EndReason.CANCELLED);
                case SipEvent.AckTimedOut timeout -> end(EndReason.ACK_TIMEOUT);
                case SipEvent.SessionExpired expired -> end(EndReason.SESSION_TIMER_EXPIRED);
                case SipEvent.Terminated terminated -> end(EndReason.SIP_TERMINATED);
                case SipEvent.Notified notified -> {
                    if (transfer != null) {
                        transfer.notified(notified.message());
                    }
                }
                case SipEvent.Acked ack -> LOG.log(Level.DEBUG, "call {0}: {1}", id, ack);
            }
        } catch (RuntimeException e) {
            fail("SIP event " + event, e);
        }
    }

    /** A re-INVITE, UPDATE or the ACK's answer changed the media: the media leg follows; hold starts or ends. */
    private void mediaChanged(NegotiatedMedia next) {
        LOG.log(Level.INFO, "call {0}: media now {1}", id, MediaSpecs.describe(next));
        negotiated = next;
        if (media != null) {
            media.update(MediaSpecs.of(next));
        }
        boolean held = held(next);
        if (state.answering()) {
            state = held ? CallState.ANSWERING_HELD : CallState.ANSWERING;
        } else if (state == CallState.TALKING && held) {
            enterHold();
        } else if (state == CallState.HELD && !held) {
            leaveHold();
        }
    }

    /** The tool calls so far, for call.json. */
    private List<ToolCall> toolLog() {
        return control.toolLog();
    }

    /** The tokens the Realtime sessions used so far, for call.json. */
    private CallUsage usage() {
        return control.usage();
    }

    /** The codec negotiated last; null before any (a late offer learns it from the ACK). */
    private String codec() {
        return negotiated == null ? null : negotiated.codec().name();
    }

    /** The media's quality so far; null before a media leg is open. */
    private CallQuality quality() {
        return media == null ? null : media.quality();
    }

    /** The caller holds the call when it no longer wants our audio (sendonly or inactive, RFC 3264 §8.4). */
    private static boolean held(NegotiatedMedia media) {
        return media != null && !media.direction().sends();
    }

    private void enterHold() {
        state = CallState.HELD;
        long atMs = clock.positionMs();
        recording.holdStarted(atMs);
        conversation.hold(realtime.live(), atMs);
        ctx.metrics().callHeld();
        LOG.log(Level.INFO, "call {0}: on hold at {1} ms", id, String.valueOf(atMs));
        realtime.maybeSwitch();
    }

    private void leaveHold() {
        state = CallState.TALKING;
        long atMs = clock.positionMs();
        recording.holdEnded(atMs);
        LOG.log(Level.INFO, "call {0}: resumed at {1} ms", id, String.valueOf(atMs));
    }

    // ---- media: caller → model (packet-driven), model → caller (tick-driven); one state gates both ----

    @Override
    public G711 agentLaw() {
        return modelAudio == null ? null : modelAudio.law();
    }

    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
        onCallerAudio(pcm24k, offset, length, position, null, 0);
    }

    /** The 8 kHz audio the next caller audio comes from: kept for a resend in its cheapest exact form. */
    @Override
    public void onCallerNarrowband(short[] pcm8k, int units, G711 law, byte[] octets) {
        realtime.noteCallerNarrowband(pcm8k, units, law, octets);
    }

    /** The bytes the resend ring holds now. */
    long resendRingBytes() {
        return realtime.resendRingBytes();
    }

    /** Caller audio: to the model (its G.711 codes when it takes them), the metrics and the recording. */
    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] codes, int codesOffset) {
        if (state == CallState.EARLY_MEDIA) {
            recording.caller(position, pcm24k, offset, length);     // recorded, but there is no session to hear it
            clock.reached(position + length);
            return;
        }
        if (!state.audioFlows()) {
            return;
        }
        realtime.appendCallerAudio(pcm24k, offset, length, position, codes, codesOffset);
        ctx.metrics().inboundLatency(scheduler.nanoTime() - media.lastReceiveNanos());
        recording.caller(position, pcm24k, offset, length);
        clock.reached(position + length);
    }

    @Override
    public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
        long now = scheduler.nanoTime();
        recording.playoutTick(position);
        realtime.tick();
        ctx.metrics().playoutLateness(clock.lateness(position, now));
        if (state == CallState.EARLY_MEDIA) {
            return earlyFrame(pcm24k, length, position, now);
        }
        if (!state.audioFlows()) {
            return false;
        }
        if (!conversation.nextFrame(pcm24k, length, position, now)) {
            realtime.maybeSwitch();
            control.idle();
            return false;
        }
        control.played();
        recording.assistant(position, pcm24k, length);
        clock.reached(position + length);
        return true;
    }

    /**
     * A frame of the consent prompt during early media. The first tick with nothing left to play comes once the
     * prompt's last frame has played out: only then does the Realtime session open, so the 200 never precedes the
     * prompt's end on the recording's timeline.
     */
    private boolean earlyFrame(short[] pcm24k, int length, long position, long now) {
        if (!conversation.nextFrame(pcm24k, length, position, now)) {
            if (conversation.playoutIdle()) {
                promptPlayed();
            }
            return false;
        }
        recording.assistant(position, pcm24k, length);
        clock.reached(position + length);
        return true;
    }

    @Override
    public boolean playoutCodes(byte[] codes, int units) {
        return conversation.frameCodes(codes, units);
    }

    @Override
    public void onCallerDigit(char digit, long position, long durationSamples) {
        keyPressed(digit, CallTimeline.samplesToMs(position), CallTimeline.samplesToMs(durationSamples),
                KeyPress.INBOUND);
    }

    @Override
    public void onDigitSent(char digit, long position, long durationSamples) {
        keyPressed(digit, CallTimeline.samplesToMs(position), CallTimeline.samplesToMs(durationSamples),
                KeyPress.OUTBOUND);
    }

    /**
     * A key pressed either way while the call is answered: into call.json; the caller's to the model too
     * ({@code agent.dtmf-to-model}), except on hold. The key itself is not logged (it may be part of a card number).
     */
    private void keyPressed(char digit, long atMs, long durationMs, String direction) {
        if (!state.answered()) {
            return;
        }
        recording.keyPressed(new KeyPress(digit, atMs, durationMs, direction));
        LOG.log(Level.DEBUG, "call {0}: a key {1} at {2} ms", id, direction, String.valueOf(atMs));
        if (KeyPress.INBOUND.equals(direction) && agent.dtmfToModel() && state.audioFlows()
                && keysTold < MAX_KEYS_TOLD) {
            keysTold++;
            conversation.keyPressed(realtime.live(), digit);
        }
    }

    @Override
    public void onMediaFault(Throwable error) {
        fail("media", error);
    }

    @Override
    public void onTicksSkipped(long count) {
        ctx.metrics().outboundSkipped(GatewayMetrics.LATE_TICK, count);
    }

    @Override
    public void onSendBusy() {
        ctx.metrics().outboundSkipped(GatewayMetrics.SOCKET_BUSY, 1);
    }

    /** The caller sent nothing for {@code rtp.timeout-seconds}: gone without a BYE. Never while held. */
    @Override
    public void onMediaTimeout(long silentNanos) {
        if (state == CallState.TALKING) {
            LOG.log(Level.WARNING, "call {0}: no RTP or RTCP from the caller for {1} ms; hanging up", id,
                    String.valueOf(CallTimeline.nanosToMs(silentNanos)));
            end(EndReason.RTP_TIMEOUT);
        }
    }

    // ---- Realtime ----

    @Override
    public void onServerEvent(RealtimeLeg leg, ServerEvent event) {
        if (!state.over()) {
            if (listeners.active()) {
                String told = ListenEvents.of(event, clock.positionMs(), recording::liveTranscript);
                if (told != null) {
                    listeners.event(told);
                }
            }
            router.route(leg, event);
        }
    }

    @Override
    public void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset,
                             int length) {
        if (state == CallState.HELD) {
            conversation.refuseWhileHeld(leg, responseId);
        } else if (!state.over() && conversation.onAudioDelta(responseId, itemId, pcm, offset, length)) {
            replyStarted();
        }
    }

    /** Agent audio in G.711: queued as its 24 kHz decoding (recording, timing) with the codes beside it. */
    @Override
    public void onAudioCodes(RealtimeLeg leg, String responseId, String itemId, byte[] codes, int offset,
                             int length) {
        if (state == CallState.HELD) {
            conversation.refuseWhileHeld(leg, responseId);
        } else if (!state.over() && modelAudio != null) {
            boolean first = false;
            for (int done = 0; done < length; done += ModelAudio.CHUNK) {
                int n = Math.min(ModelAudio.CHUNK, length - done);
                int samples = modelAudio.toWide(codes, offset + done, n);
                first |= conversation.onAudioDelta(responseId, itemId, modelAudio.wide(), 0, samples, codes,
                        offset + done);
            }
            if (first) {
                replyStarted();
            }
        }
    }

    /** The first audio of a response is queued: its talkspurt may start now rather than at the next tick. */
    private void replyStarted() {
        if (media != null && state.answered()) {
            media.playoutReady();
        }
    }

    @Override
    public boolean atTurnBoundary() {
        return !control.busy() && (state == CallState.HELD || conversation.atTurnBoundary());
    }

    @Override
    public List<ClientEvent.ConversationItem> context(int maxChars) {
        return ConversationContext.of(recording.turns(clock.positionMs()), maxChars);
    }

    @Override
    public void onSwitched(String reason, long resentFromMs) {
        ctx.metrics().realtimeSessionSwitched(reason);
        if (!"initial".equals(reason)) {
            conversation.sessionReplaced(resentFromMs);
            control.sessionReplaced();
        }
    }

    @Override
    public void onLost(String why) {
        String fallback = agent.transfer().fallback();
        if (state.beforeAnswer() && fallback != null) {
            LOG.log(Level.WARNING, "call {0}: no Realtime session ({1}); redirecting the caller to {2}", id, why,
                    fallback);
            sip.dialog().redirect(fallback);
            end(EndReason.FALLBACK_TRANSFERRED);
        } else if (state.beforeAnswer()) {
            LOG.log(Level.WARNING, "call {0}: no Realtime session: {1}", id, why);
            reject(503, "Service Unavailable", EndReason.REALTIME_UNAVAILABLE);
        } else if (fallback != null && startTransfer(fallback, "The voice agent is unavailable.",
                new TransferOutcome(EndReason.FALLBACK_TRANSFERRED, (status, failure) -> {
                    LOG.log(Level.WARNING, "call {0}: the fallback transfer failed: {1}", id, failure);
                    end(EndReason.REALTIME_LOST);
                }, null))) {
            LOG.log(Level.WARNING, "call {0}: Realtime session lost ({1}); transferring the caller to {2}", id, why,
                    fallback);
        } else {
            LOG.log(Level.WARNING, "call {0}: Realtime session lost: {1}", id, why);
            end(EndReason.REALTIME_LOST);
        }
    }

    /** What a transfer's failure does to the call. */
    @FunctionalInterface
    private interface TransferFailure {
        void failed(int status, String why);
    }

    /**
     * A transfer's outcome, on the call's loop: into call.json; handed over, the call ends with {@code handedOver}
     * (BYE); failed, {@code failure} says what follows. {@code result}, when not null, learns the final status.
     */
    private final class TransferOutcome implements ReferTransfer.Outcome {
        private final EndReason handedOver;
        private final TransferFailure failure;
        private final CompletableFuture<Integer> result;

        TransferOutcome(EndReason handedOver, TransferFailure failure, CompletableFuture<Integer> result) {
            this.handedOver = handedOver;
            this.failure = failure;
            this.result = result;
        }

        @Override
        public void succeeded(ReferTransfer t, int status) {
            transferEnded(t, status);
            end(handedOver);
            if (result != null) {
                result.complete(status);
            }
        }

        @Override
        public void failed(ReferTransfer t, int status, String why) {
            transferEnded(t, status);
            failure.failed(status, why);
            if (result != null) {
                result.complete(status);
            }
        }
    }

    @Override
    public void onFault(Throwable error) {
        fail("Realtime event", error);
    }

    // ---- ending ----

    /** An exception escaped this call's handling: it ends this call, and only this one. */
    private void fail(String where, Throwable error) {
        if (state.over()) {
            return;
        }
        LOG.log(Level.ERROR, "call " + id + ": internal error in " + where + "; ending the call", error);
        reject(500, "Server Internal Error", EndReason.INTERNAL_ERROR);
    }

    private void reject(int status, String reasonPhrase, EndReason reason) {
        if (state.beforeAnswer()) {
            sip.dialog().reject(status, reasonPhrase);
        }
        end(reason);
    }

    /** Ends the call once: stops media, closes the sessions, finishes the recording; BYE when the gateway ends it. */
    void end(EndReason reason) {
        if (state.over()) {
            return;
        }
        boolean answered = state.answered();
        state = state.answering() ? CallState.ENDING : CallState.ENDED;
        long endSample = clock.stop();
        if (transfer != null) {
            transfer.cancel();
            transfer = null;
        }
        quietly("conversation control", control::end);
        quietly("conversation", conversation::end);
        if (media != null) {
            quietly("media", () -> {
                media.close();
                media.countInto(ctx.metrics());
            });
        }
        quietly("Realtime", () -> realtime.close(reason.label()));
        if (answered && reason.gatewayHangsUp()) {
            quietly("SIP", () -> sip.dialog().hangup());
        }
        ctx.metrics().callEnded(reason.label());
        LOG.log(Level.INFO, "call {0}: ended ({1}) after {2} ms", id, reason.label(),
                String.valueOf(CallTimeline.samplesToMs(endSample)));
        recording.end(ctx.wallClock().instant(), endSample, reason.label());
        tell(new CallEvent.Ended(reason.label(), answerTold, answerTold ? CallTimeline.samplesToMs(endSample) : 0,
                usage()));
        quietly("listeners", listeners::end);
        if (state == CallState.ENDED) {
            finishRecording();
        }
    }

    /** Writes the recording once the call has ended and its answer's fate is known; then the call is finished. */
    private void finishRecording() {
        recording.finish().thenRun(() -> finished.complete(null));
    }

    /** Tells the observers of a milestone of this call; their failure is not the call's. */
    private void tell(CallEvent event) {
        try {
            ctx.observer().observe(id, event);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "call " + id + ": an observer failed on " + event.type(), e);
        }
    }

    /** Runs one step of the ending so a failure in it cannot keep the others (the recording above all) from running. */
    private void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "call " + id + ": ending the " + what + " leg failed", e);
        }
    }
}
