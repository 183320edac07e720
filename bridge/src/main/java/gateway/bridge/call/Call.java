package gateway.bridge.call;

import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.HoldPeriod;
import gateway.library.RecordingPause;
import gateway.library.Turn;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.rtp.MediaListener;
import gateway.rtp.RtpStreamSpec;
import gateway.sip.InboundCall;
import gateway.sip.NegotiatedMedia;
import gateway.time.CallTimeline;
import gateway.time.Scheduler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One phone call: a SIP dialog, a media leg, one Realtime session at a time and a recording, joined by one state
 * machine ({@link CallState}). Each leg can change while the call runs: the caller's re-INVITE or UPDATE gives the
 * media leg a new address, payload type or direction (hold); the Realtime leg is replaced at its 60-minute limit or
 * after a failure ({@link RealtimeLegs}); the recording's timeline stays one, sample 0 being the answer.
 *
 * <p>Order of events (connect before answer): INVITE → 180 → open the RTP port and the first Realtime session →
 * session.update → 200 OK once it is configured → media. A failure in one call's handling (a packet, a tick, an
 * event) ends that call alone with {@code internal_error}: BYE, and the recording finished.
 *
 * <p>Threading: every field is owned by the call's event loop (the {@link CallRuntime#scheduler()}'s thread). The
 * RTP channel and the Realtime sockets are registered on it, so their callbacks arrive there; SIP events arrive on
 * the SIP loop and hop over ({@link SipLeg}). Nothing here blocks; the recorder copies samples into its own queue.
 */
public final class Call implements MediaListener, RealtimeLegs.Events {

    private static final Logger LOG = System.getLogger(Call.class.getName());
    /** The text of a turn said while recording was paused. */
    static final String NOT_RECORDED = "[not recorded: recording paused]";

    private final CallContext ctx;
    private final String id;
    private final SipLeg sip;
    private final Scheduler scheduler;
    private final MediaOpener mediaOpener;
    private final RealtimeLegs realtime;
    private final TurnLog turns = new TurnLog();
    private final SpanLog holds = new SpanLog();
    private final SpanLog pauses = new SpanLog();
    private final Conversation conversation;
    private final RecordingTools tools = new RecordingTools(new RecordingTools.Actions() {
        @Override
        public boolean pauseRecording() {
            return setRecordingPaused(true, "tool");
        }

        @Override
        public boolean resumeRecording() {
            return setRecordingPaused(false, "tool");
        }
    });
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private CallState state = CallState.CONNECTING;
    private MediaLeg media;
    private NegotiatedMedia negotiated;
    private boolean sessionReady;
    private boolean callerAudioOn;
    private boolean recordingPaused;
    private boolean answerConfirmed;
    private CallRecording recording;
    private CallSummary pendingSummary;
    private long answerNanos;
    private boolean timelineStarted;
    private long frozenEnd = -1;
    private long writtenEnd;

    Call(CallContext ctx, InboundCall dialog, CallRuntime runtime, String id) {
        this.ctx = ctx;
        this.id = id;
        this.scheduler = runtime.scheduler();
        this.mediaOpener = runtime.media();
        this.sip = new SipLeg(dialog, scheduler::execute, this::onSip);
        this.conversation = new Conversation(id, turns, ctx.metrics(), scheduler, this::checkpoint);
        this.realtime = new RealtimeLegs(id, runtime.realtime(), new ClientEvent.SessionUpdate(ctx.session()),
                ctx.policy(), scheduler, ctx.wallClock(), this);
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
            open();
        } catch (RuntimeException e) {
            fail("start", e);
        }
    }

    private void open() {
        InboundCall dialog = sip.dialog();
        sip.listen();
        dialog.ringing();
        negotiated = dialog.offeredMedia().orElse(null);
        RtpStreamSpec spec = negotiated == null ? MediaSpecs.awaitingAnswer() : MediaSpecs.of(negotiated);
        mediaOpener.open(spec, this).whenComplete((leg, error) -> scheduler.execute(() -> mediaOpened(leg, error)));
        realtime.open();
        LOG.log(Level.INFO, "call {0}: INVITE {1} from {2} ({3}), {4}", id, dialog.callId(), dialog.fromUri(),
                dialog.source(), negotiated == null ? "no SDP offer: we offer" : describe(negotiated));
    }

    /**
     * Pauses ({@code paused} true) or resumes the recording from outside (the QA API). Safe from any thread; the
     * future completes with whether the state changed, or exceptionally when the call is not answered or is over.
     */
    public CompletableFuture<Boolean> pauseRecording(boolean paused, String by) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            if (!state.answered()) {
                result.completeExceptionally(new IllegalStateException("the call is " + (state.over() ? "over"
                        : "not answered yet")));
            } else {
                result.complete(setRecordingPaused(paused, by));
            }
        });
        return result;
    }

    /** True when the recording is paused now. Call's loop only. */
    boolean recordingPaused() {
        return recordingPaused;
    }

    private boolean setRecordingPaused(boolean paused, String by) {
        if (paused == recordingPaused || !state.answered()) {
            return false;
        }
        recordingPaused = paused;
        long atMs = positionMs();
        if (paused) {
            pauses.start(atMs, by);
        } else {
            pauses.end(atMs);
        }
        LOG.log(Level.INFO, "call {0}: recording {1} at {2} ms by {3}", id, paused ? "paused" : "resumed",
                String.valueOf(atMs), by);
        return true;
    }

    /** Ends the call from outside (shutdown). Safe from any thread. */
    public void shutdown() {
        scheduler.execute(() -> end(EndReason.SHUTDOWN));
    }

    // ---- connecting and answering ----

    private void mediaOpened(MediaLeg leg, Throwable error) {
        if (error != null) {
            LOG.log(Level.WARNING, "call {0}: {1}", id, error.getMessage());
            reject(503, "Service Unavailable", EndReason.NO_MEDIA_PORT);
            return;
        }
        if (state != CallState.CONNECTING) {
            leg.close();
            return;
        }
        media = leg;
        maybeAnswer();
    }

    @Override
    public void onFirstSessionReady() {
        sessionReady = true;
        maybeAnswer();
    }

    private void maybeAnswer() {
        if (state != CallState.CONNECTING || media == null || !sessionReady) {
            return;
        }
        InboundCall dialog = sip.dialog();
        String codec = negotiated == null ? null : negotiated.codec().name();
        try {
            recording = ctx.recordings().start(new CallMetadata(id, dialog.callId(), dialog.fromUri(),
                    dialog.toUri(), ctx.wallClock().instant(), codec));
        } catch (IOException e) {
            // No call goes unrecorded: refuse it before the answer rather than take it without a recording.
            LOG.log(Level.ERROR, "call {0}: cannot create the recording, refusing the call: {1}", id, e.toString());
            reject(503, "Service Unavailable", EndReason.RECORDING_UNAVAILABLE);
            return;
        }
        state = CallState.ANSWERING;
        answerNanos = scheduler.nanoTime();
        timelineStarted = true;
        // Media runs from here, so the caller's first packets, sent as soon as the 200 arrives, are not lost.
        media.start(answerNanos);
        if (ctx.consent() != null) {
            conversation.announceFirst(ctx.consent().samples());
        }
        realtime.goLive();
        callerAudioOn = !held(negotiated);
        dialog.answer(ctx.publicHost(), media.port()).thenAccept(sent -> scheduler.execute(() -> answerSent(sent)));
    }

    /** The SIP layer says whether the 200 OK went out; if a CANCEL won the race, the call was never answered. */
    private void answerSent(boolean sent) {
        if (!sent) {
            if (recording != null) {
                recording.discard();
                recording = null;
            }
            if (state.over()) {
                finished.complete(null);
            }
            return;
        }
        answerConfirmed = true;
        ctx.metrics().callAnswered();
        LOG.log(Level.INFO, "call {0}: answered, RTP {1} <-> {2}", id, String.valueOf(media.port()),
                negotiated == null ? "(awaiting the answer in the ACK)" : negotiated.remoteRtp());
        if (state == CallState.ANSWERING) {
            state = CallState.TALKING;
            if (held(negotiated)) {
                enterHold();
            }
        } else if (state.over()) {
            finishRecording();
        }
    }

    // ---- SIP events ----

    private void onSip(SipEvent event) {
        if (state.over()) {
            return;
        }
        try {
            if (event instanceof SipEvent.MediaChanged changed) {
                mediaChanged(changed.media());
            } else if (event instanceof SipEvent.MediaFailed failed) {
                LOG.log(Level.WARNING, "call {0}: no usable SDP answer in the ACK: {1}", id, failed.reason());
                end(EndReason.MEDIA_NEGOTIATION_FAILED);
            } else if (event instanceof SipEvent.RemoteBye) {
                end(EndReason.CALLER_BYE);
            } else if (event instanceof SipEvent.Cancelled) {
                end(EndReason.CANCELLED);
            } else if (event instanceof SipEvent.AckTimedOut) {
                end(EndReason.ACK_TIMEOUT);
            } else if (event instanceof SipEvent.Terminated) {
                end(EndReason.SIP_TERMINATED);
            } else {
                LOG.log(Level.DEBUG, "call {0}: {1}", id, event);
            }
        } catch (RuntimeException e) {
            fail("SIP event " + event, e);
        }
    }

    /** A re-INVITE, UPDATE or the ACK's answer changed the media: the media leg follows; hold starts or ends. */
    private void mediaChanged(NegotiatedMedia next) {
        LOG.log(Level.INFO, "call {0}: media now {1}", id, describe(next));
        negotiated = next;
        if (media != null) {
            media.update(MediaSpecs.of(next));
        }
        if (state == CallState.TALKING && held(next)) {
            enterHold();
        } else if (state == CallState.HELD && !held(next)) {
            leaveHold();
        } else if (state == CallState.ANSWERING) {
            callerAudioOn = !held(next);
        }
    }

    /** The caller holds the call when it no longer wants our audio (sendonly or inactive, RFC 3264 §8.4). */
    private static boolean held(NegotiatedMedia media) {
        return media != null && !media.direction().sends();
    }

    private void enterHold() {
        state = CallState.HELD;
        callerAudioOn = false;
        long atMs = positionMs();
        holds.start(atMs, "caller");
        conversation.hold(realtime.live(), atMs);
        ctx.metrics().callHeld();
        LOG.log(Level.INFO, "call {0}: on hold at {1} ms", id, String.valueOf(atMs));
        realtime.maybeSwitch();
    }

    private void leaveHold() {
        state = CallState.TALKING;
        callerAudioOn = true;
        holds.end(positionMs());
        LOG.log(Level.INFO, "call {0}: resumed at {1} ms", id, String.valueOf(positionMs()));
    }

    // ---- media: caller → model (packet-driven), model → caller (tick-driven) ----

    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
        if (!callerAudioOn) {
            return;
        }
        realtime.appendCallerAudio(pcm24k, offset, length, position);
        ctx.metrics().inboundLatency(scheduler.nanoTime() - media.lastReceiveNanos());
        if (recording != null && !recordingPaused) {
            recording.caller(position, pcm24k, offset, length);
        }
        writtenEnd = Math.max(writtenEnd, position + length);
    }

    @Override
    public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
        long now = scheduler.nanoTime();
        ctx.metrics().playoutLateness(now - answerNanos - CallTimeline.samplesToNanos(position));
        if (state != CallState.TALKING && state != CallState.ANSWERING) {
            return false;
        }
        if (!conversation.nextFrame(pcm24k, length, position, now)) {
            if (realtime.switchWanted()) {
                realtime.maybeSwitch();
            }
            return false;
        }
        if (recording != null && !recordingPaused) {
            recording.assistant(position, pcm24k, 0, length);
        }
        writtenEnd = Math.max(writtenEnd, position + length);
        return true;
    }

    @Override
    public void onMediaFault(Throwable error) {
        fail("media", error);
    }

    // ---- Realtime ----

    @Override
    public void onServerEvent(RealtimeLeg leg, ServerEvent event) {
        if (state.over()) {
            return;
        }
        conversation.onServerEvent(leg, event);
        if (event instanceof ServerEvent.FunctionCallArgumentsDone call) {
            tools.called(call);
        } else if (event instanceof ServerEvent.ResponseDone done && leg.live()) {
            tools.responseDone(done.responseId()).forEach(leg::send);
        }
    }

    @Override
    public void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset,
                             int length) {
        if (state == CallState.HELD) {
            conversation.refuseWhileHeld(leg, responseId);
        } else if (!state.over() && conversation.onAudioDelta(responseId, itemId, pcm, offset, length)
                && media != null && state.answered()) {
            media.playoutReady();
        }
    }

    @Override
    public boolean atTurnBoundary() {
        return state == CallState.HELD || conversation.atTurnBoundary();
    }

    @Override
    public List<ClientEvent.ConversationItem> context(int maxChars) {
        return ConversationContext.of(log(positionMs()).turns(), maxChars);
    }

    @Override
    public void onSwitched(String reason) {
        ctx.metrics().realtimeSessionSwitched(reason);
        if (!"initial".equals(reason)) {
            conversation.sessionReplaced();
        }
    }

    @Override
    public void onLost(String why) {
        if (state == CallState.CONNECTING) {
            LOG.log(Level.WARNING, "call {0}: no Realtime session: {1}", id, why);
            reject(503, "Service Unavailable", EndReason.REALTIME_UNAVAILABLE);
        } else {
            LOG.log(Level.WARNING, "call {0}: Realtime session lost: {1}", id, why);
            end(EndReason.REALTIME_LOST);
        }
    }

    @Override
    public void onFault(Throwable error) {
        fail("Realtime event", error);
    }

    /** A turn finished: save the log so far, so a crash keeps it. */
    private void checkpoint() {
        if (recording != null) {
            recording.checkpoint(log(positionMs()));
        }
    }

    private CallLog log(long nowMs) {
        List<RecordingPause> paused = pauses.spans(nowMs).stream()
                .map(p -> new RecordingPause(p.startMs(), p.endMs(), p.label())).toList();
        List<HoldPeriod> held = holds.spans(nowMs).stream().map(h -> new HoldPeriod(h.startMs(), h.endMs())).toList();
        return new CallLog(redacted(turns.snapshot(nowMs), paused), held, realtime.periods(), paused,
                negotiated == null ? null : negotiated.codec().name());
    }

    /** Turns said while recording was paused keep their times but lose their text (it may be a card number). */
    static List<Turn> redacted(List<Turn> turns, List<RecordingPause> paused) {
        if (paused.isEmpty()) {
            return turns;
        }
        return turns.stream().map(t -> paused.stream().anyMatch(p -> p.overlaps(t.startMs(), t.endMs()))
                ? new Turn(t.role(), t.startMs(), t.endMs(), NOT_RECORDED, t.itemId(), t.interrupted()) : t).toList();
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
        if (state == CallState.CONNECTING) {
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
        long endPosition = answered ? Math.max(positionNow(), writtenEnd) : 0;
        frozenEnd = endPosition;
        state = CallState.ENDED;
        callerAudioOn = false;
        long endMs = CallTimeline.samplesToMs(endPosition);
        quietly("conversation", conversation::end);
        if (media != null) {
            quietly("media", () -> {
                media.close();
                ctx.metrics().rtpTotals(media.session());
            });
        }
        long overflow = conversation.overflowSamples();
        if (overflow > 0) {
            LOG.log(Level.WARNING, "call {0}: {1} ms of agent audio dropped, the playout queue was full", id,
                    String.valueOf(CallTimeline.samplesToMs(overflow)));
            ctx.metrics().playoutOverflow(overflow);
        }
        quietly("Realtime", () -> realtime.close(reason.label()));
        if (answered && reason.gatewayHangsUp()) {
            quietly("SIP", () -> sip.dialog().hangup());
        }
        ctx.metrics().callEnded(reason);
        LOG.log(Level.INFO, "call {0}: ended ({1}) after {2} ms", id, reason.label(), String.valueOf(endMs));
        if (recording == null) {
            finished.complete(null);
            return;
        }
        pendingSummary = new CallSummary(ctx.wallClock().instant(), endPosition, reason.label(), log(endMs));
        if (answerConfirmed) {
            finishRecording();
        }
    }

    /** Writes the recording once the call has ended and its answer is known to have gone out. */
    private void finishRecording() {
        recording.finish(pendingSummary).whenComplete((dir, error) -> {
            ctx.metrics().recordingFinished(error == null);
            if (error != null) {
                LOG.log(Level.ERROR, "call {0}: recording not finished: {1}", id, error.toString());
            }
            finished.complete(null);
        });
    }

    /** Runs one step of the ending so a failure in it cannot keep the others (the recording above all) from running. */
    private void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "call " + id + ": ending the " + what + " leg failed", e);
        }
    }

    /** Recording position now: 0 before the answer, frozen at the end. */
    private long positionNow() {
        if (!timelineStarted) {
            return 0;
        }
        if (frozenEnd >= 0) {
            return frozenEnd;
        }
        return Math.max(0, CallTimeline.nanosToSamples(scheduler.nanoTime() - answerNanos));
    }

    @Override
    public long positionMs() {
        return CallTimeline.samplesToMs(positionNow());
    }

    private static String describe(NegotiatedMedia m) {
        return m.codec() + "/" + m.payloadType() + " " + m.direction().attribute() + " to " + m.remoteRtp();
    }
}
