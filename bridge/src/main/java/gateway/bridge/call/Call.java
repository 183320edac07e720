package gateway.bridge.call;

import gateway.bridge.realtime.ClientEvent;
import gateway.bridge.realtime.RealtimeConnection;
import gateway.bridge.realtime.RealtimeListener;
import gateway.bridge.realtime.ServerEvent;
import gateway.recorder.CallMetadata;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.Role;
import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpSession;
import gateway.sip.CallListener;
import gateway.sip.InboundCall;
import gateway.sip.NegotiatedMedia;
import gateway.rtp.RtpStreamSpec;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One phone call joined to one Realtime session and one recording.
 *
 * <p>Threading: every field is owned by the call's event loop ({@link #loop}). The RTP channel and the Realtime
 * WebSocket are registered on that loop, so their callbacks arrive there; SIP events arrive on the SIP loop and hop
 * over with {@code loop.execute}. Nothing here blocks; the recorder copies samples into its own queue.
 *
 * <p>Order of events (connect before answer): INVITE → 180 → open the RTP port and the Realtime socket →
 * session.update → 200 OK on session.updated (or after {@link #ANSWER_FALLBACK_NANOS}) → media. Sample 0 of the
 * recording is the moment of answer.
 */
public final class Call implements CallListener, RealtimeListener, MediaListener {

    private static final Logger LOG = System.getLogger(Call.class.getName());

    /** Answer this long after session.update even if session.updated has not come back. */
    static final long ANSWER_FALLBACK_NANOS = 1_000_000_000L;
    /** Cancelled responses remembered to drop their late deltas; responses are sequential, a few suffice. */
    private static final int CANCELLED_RESPONSES_KEPT = 16;
    private static final int SAMPLES_PER_MS = 24;
    /** Ports taken by other programs are skipped; after this many failed binds the call gets 503. */
    private static final int MAX_BIND_ATTEMPTS = 8;
    /** One sample at 24 kHz is 125000/3 ns. */
    private static final long NANOS_PER_SAMPLE_NUM = 125_000;
    private static final long NANOS_PER_SAMPLE_DEN = 3;

    private final CallContext ctx;
    private final InboundCall sip;
    private final EventLoop loop;
    private final PacingWheel wheel;
    private final Scheduler scheduler;
    private final String id;
    private final TurnLog turns = new TurnLog();
    private final AssistantPlayout playout = new AssistantPlayout(turns);
    private final ArrayDeque<String> cancelledResponses = new ArrayDeque<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private int rtpPort = -1;
    private int bindAttempts;
    private RtpSession rtp;
    private RealtimeConnection upstream;
    private CallRecording recording;
    private Cancellable connectTimeout;
    private Cancellable answerFallback;
    private boolean sessionReady;
    private boolean answered;
    private boolean answerConfirmed;
    private CallSummary pendingSummary;
    private boolean ended;
    private long answerNanos;
    private long writtenEnd;
    private String activeResponseId;
    private String lastDeltaResponseId;
    private String awaitingFirstPlay;
    private long firstDeltaNanos;

    Call(CallContext ctx, InboundCall sip, EventLoop loop, PacingWheel wheel, Instant now) {
        this.ctx = ctx;
        this.sip = sip;
        this.loop = loop;
        this.wheel = wheel;
        this.scheduler = wheel.scheduler();
        this.id = CallIds.next(now);
    }

    /** The gateway's id of this call: the recording's directory name. */
    public String id() {
        return id;
    }

    /** Completes when the call has ended and its recording (if any) is on disk. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** Starts the call: rings, opens media and the Realtime session. Runs on the call's loop. */
    void begin() {
        sip.setListener(this);
        sip.ringing();
        connectTimeout = scheduler.schedule(this::connectTimedOut, ctx.connectTimeoutMs() * 1_000_000L);
        if (!openMedia()) {
            return;
        }
        ctx.realtime().connect(ctx.realtimeUrl(), ctx.apiKey(), loop, this)
                .whenComplete((connection, error) -> loop.execute(() -> upstreamOpened(connection, error)));
        LOG.log(Level.INFO, "call {0}: INVITE {1} from {2} ({3}), codec {4}", id, sip.callId(), sip.fromUri(),
                sip.source(), media().codec());
    }

    /** Ends the call from outside (shutdown). Safe from any thread. */
    public void shutdown() {
        loop.execute(() -> end(EndReason.SHUTDOWN));
    }

    /** Allocates an RTP port and binds it; false (and the call rejected) when no port is left. */
    private boolean openMedia() {
        try {
            rtpPort = ctx.ports().allocate();
        } catch (IllegalStateException noPort) {
            rtpPort = -1;
            LOG.log(Level.WARNING, "call {0}: {1}", id, noPort.getMessage());
            reject(503, "Service Unavailable", EndReason.NO_MEDIA_PORT);
            return false;
        }
        NegotiatedMedia media = media();
        RtpSession.open(loop, ctx.mediaBindAddress(), rtpPort, RtpStreamSpec.sendRecv(G711.valueOf(media.codec().name()),
                media.telephoneEventPt(), media.remoteRtp()), wheel, this)
                .whenComplete((session, error) -> loop.execute(() -> mediaOpened(session, error)));
        return true;
    }

    private void mediaOpened(RtpSession session, Throwable error) {
        if (error != null) {
            LOG.log(Level.WARNING, "call {0}: RTP port {1} failed: {2}", id, String.valueOf(rtpPort), error.toString());
            ctx.ports().release(rtpPort);
            rtpPort = -1;
            if (!ended && ++bindAttempts < MAX_BIND_ATTEMPTS) {
                openMedia();
            } else {
                reject(503, "Service Unavailable", EndReason.NO_MEDIA_PORT);
            }
            return;
        }
        if (ended) {
            session.close();
            return;
        }
        rtp = session;
        maybeAnswer();
    }

    private void upstreamOpened(RealtimeConnection connection, Throwable error) {
        if (error != null) {
            LOG.log(Level.WARNING, "call {0}: Realtime connection failed: {1}", id, error.toString());
            reject(503, "Service Unavailable", EndReason.UPSTREAM_UNAVAILABLE);
            return;
        }
        if (ended) {
            connection.close();
            return;
        }
        upstream = connection;
        upstream.send(new ClientEvent.SessionUpdate(ctx.session()));
        answerFallback = scheduler.schedule(() -> {
            sessionReady = true;
            maybeAnswer();
        }, ANSWER_FALLBACK_NANOS);
    }

    private void connectTimedOut() {
        if (!answered && !ended) {
            LOG.log(Level.WARNING, "call {0}: Realtime session not ready within {1} ms", id,
                    String.valueOf(ctx.connectTimeoutMs()));
            reject(503, "Service Unavailable", EndReason.UPSTREAM_UNAVAILABLE);
        }
    }

    private void maybeAnswer() {
        if (ended || answered || rtp == null || upstream == null || !sessionReady) {
            return;
        }
        cancel(connectTimeout);
        cancel(answerFallback);
        answered = true;
        answerNanos = scheduler.nanoTime();
        NegotiatedMedia media = media();
        try {
            recording = ctx.recordings().start(new CallMetadata(id, sip.callId(), sip.fromUri(), sip.toUri(),
                    Instant.now(), media.codec().name()));
        } catch (IOException e) {
            LOG.log(Level.ERROR, "call {0}: cannot create the recording: {1}", id, e.toString());
        }
        // Media runs from here, so the caller's first packets, sent as soon as the 200 arrives, are not lost.
        rtp.start(answerNanos);
        sip.answer(ctx.publicHost(), rtpPort).thenAccept(sent -> loop.execute(() -> answerSent(sent)));
    }

    /** The SIP layer says whether the 200 OK went out; if a CANCEL won the race, the call was never answered. */
    private void answerSent(boolean sent) {
        if (sent) {
            answerConfirmed = true;
            ctx.metrics().callAnswered();
            LOG.log(Level.INFO, "call {0}: answered, RTP {1} <-> {2}", id, String.valueOf(rtpPort),
                    media().remoteRtp());
            if (ended) {
                finishRecording();
            }
            return;
        }
        if (recording != null) {
            recording.discard();
            recording = null;
        }
        if (ended) {
            finished.complete(null);
        }
    }

    private NegotiatedMedia media() {
        return sip.offeredMedia().orElseThrow();
    }

    @Override
    public void onMediaFault(Throwable error) {
        LOG.log(Level.ERROR, "call " + id + ": media failed", error);
        end(EndReason.INTERNAL_ERROR);
    }

    @Override
    public void onMediaChanged(NegotiatedMedia media) {
    }

    @Override
    public void onMediaFailed(String reason) {
        loop.execute(() -> end(EndReason.INTERNAL_ERROR));
    }

    // ---- caller → model (packet-driven) ----

    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
        if (ended) {
            return;
        }
        if (upstream != null && upstream.isOpen()) {
            turns.inputOrigin(position);
            upstream.appendAudio(pcm24k, offset, length);
            ctx.metrics().inboundLatency(scheduler.nanoTime() - rtp.lastReceiveNanos());
        }
        if (recording != null) {
            recording.caller(position, pcm24k, offset, length);
        }
        writtenEnd = Math.max(writtenEnd, position + length);
    }

    // ---- model → caller (tick-driven) ----

    @Override
    public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
        long now = scheduler.nanoTime();
        ctx.metrics().playoutLateness(now - answerNanos - position * NANOS_PER_SAMPLE_NUM / NANOS_PER_SAMPLE_DEN);
        if (ended || !playout.nextFrame(pcm24k, length, position)) {
            return false;
        }
        if (awaitingFirstPlay != null && awaitingFirstPlay.equals(playout.currentResponseId())) {
            ctx.metrics().firstAudioDelay(now - firstDeltaNanos);
            awaitingFirstPlay = null;
        }
        if (recording != null) {
            recording.assistant(position, pcm24k, 0, length);
        }
        writtenEnd = Math.max(writtenEnd, position + length);
        return true;
    }

    @Override
    public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
        if (ended || cancelledResponses.contains(responseId)) {
            return;
        }
        boolean first = !responseId.equals(lastDeltaResponseId);
        if (first) {
            lastDeltaResponseId = responseId;
            awaitingFirstPlay = responseId;
            firstDeltaNanos = scheduler.nanoTime();
        }
        playout.enqueue(responseId, itemId, pcm24k, offset, length);
        if (first && answered) {
            rtp.playoutReady();
        }
    }

    @Override
    public void onEvent(ServerEvent event) {
        if (ended) {
            return;
        }
        try {
            handle(event);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "call " + id + ": failed on " + event.type(), e);
            end(EndReason.INTERNAL_ERROR);
        }
    }

    private void handle(ServerEvent event) {
        if (event instanceof ServerEvent.SessionUpdated) {
            sessionReady = true;
            maybeAnswer();
        } else if (event instanceof ServerEvent.SpeechStarted e) {
            turns.callerSpeechStarted(e.itemId(), e.audioStartMs());
            bargeIn();
        } else if (event instanceof ServerEvent.SpeechStopped e) {
            turns.callerSpeechStopped(e.itemId(), e.audioEndMs());
        } else if (event instanceof ServerEvent.InputTranscriptionCompleted e) {
            turns.transcript(e.itemId(), Role.CALLER, e.transcript());
        } else if (event instanceof ServerEvent.ResponseCreated e) {
            activeResponseId = e.responseId();
        } else if (event instanceof ServerEvent.OutputAudioTranscriptDone e) {
            turns.transcript(e.itemId(), Role.ASSISTANT, e.transcript());
        } else if (event instanceof ServerEvent.ResponseDone e) {
            if (e.responseId() != null && e.responseId().equals(activeResponseId)) {
                activeResponseId = null;
            }
            turns.responseDone(e.responseId(), e.status());
            if (recording != null) {
                recording.checkpoint(turns.snapshot(positionNow() / SAMPLES_PER_MS));
            }
        } else if (event instanceof ServerEvent.ErrorEvent e) {
            LOG.log(Level.WARNING, "call {0}: Realtime error {1}/{2}: {3}", id, e.errorType(), e.code(), e.message());
        }
    }

    /**
     * The caller started talking: stop playout at once, drop what is queued, tell the model how much of its item
     * was heard (conversation.item.truncate), and ignore the rest of that response.
     */
    private void bargeIn() {
        String item = playout.queuedItemId();
        String response = playout.queuedResponseId();
        long played = 0;
        if (item != null) {
            played = item.equals(playout.currentItemId()) ? playout.playedSamplesOfCurrentItem() : 0;
        } else if (activeResponseId != null && activeResponseId.equals(playout.currentResponseId())) {
            item = playout.currentItemId();          // a momentary underrun: the item is still being spoken
            response = activeResponseId;
            played = playout.playedSamplesOfCurrentItem();
        }
        if (item != null) {
            upstream.send(new ClientEvent.ItemTruncate(item, 0, played / SAMPLES_PER_MS));
            turns.interrupted(item);
            remember(response);
            playout.clear();
        }
        if (activeResponseId != null) {
            remember(activeResponseId);
        }
    }

    private void remember(String responseId) {
        if (responseId == null || cancelledResponses.contains(responseId)) {
            return;
        }
        if (cancelledResponses.size() == CANCELLED_RESPONSES_KEPT) {
            cancelledResponses.pollFirst();
        }
        cancelledResponses.addLast(responseId);
    }

    @Override
    public void onClosed(int statusCode, String reason) {
        loop.execute(() -> {
            if (ended) {
                return;
            }
            LOG.log(Level.WARNING, "call {0}: Realtime socket closed ({1} {2})", id, String.valueOf(statusCode), reason);
            if (answered) {
                end(EndReason.UPSTREAM_CLOSED);
            } else {
                reject(503, "Service Unavailable", EndReason.UPSTREAM_UNAVAILABLE);
            }
        });
    }

    // ---- SIP events (arrive on the SIP loop) ----

    @Override
    public void onAck() {
        loop.execute(() -> LOG.log(Level.DEBUG, "call {0}: ACK", id));
    }

    @Override
    public void onRemoteBye() {
        loop.execute(() -> end(EndReason.CALLER_BYE));
    }

    @Override
    public void onCancel() {
        loop.execute(() -> end(EndReason.CANCELLED));
    }

    @Override
    public void onAckTimeout() {
        loop.execute(() -> end(EndReason.ACK_TIMEOUT));
    }

    @Override
    public void onTerminated() {
        loop.execute(() -> end(EndReason.SIP_TERMINATED));
    }

    // ---- ending ----

    private void reject(int status, String reasonPhrase, EndReason reason) {
        if (!ended && !answered) {
            sip.reject(status, reasonPhrase);
        }
        end(reason);
    }

    /** Ends the call once: stops media, closes the session, finishes the recording; BYE when the gateway ends it. */
    void end(EndReason reason) {
        if (ended) {
            return;
        }
        ended = true;
        cancel(connectTimeout);
        cancel(answerFallback);
        long endPosition = answered ? Math.max(positionNow(), writtenEnd) : 0;
        String cutOff = playout.queuedItemId();
        if (cutOff != null) {
            turns.interrupted(cutOff);
            playout.clear();
        }
        if (rtp != null) {
            rtp.close();
            ctx.metrics().rtpTotals(rtp);
        }
        long overflow = playout.overflowSamples();
        if (overflow > 0) {
            LOG.log(Level.WARNING, "call {0}: {1} ms of agent audio dropped, the playout queue was full", id,
                    String.valueOf(overflow / SAMPLES_PER_MS));
            ctx.metrics().playoutOverflow(overflow);
        }
        if (rtpPort >= 0) {
            ctx.ports().release(rtpPort);
        }
        if (upstream != null) {
            upstream.close();
        }
        if (answered && reason.gatewayHangsUp()) {
            sip.hangup();
        }
        ctx.metrics().callEnded(reason);
        LOG.log(Level.INFO, "call {0}: ended ({1}) after {2} ms", id, reason.label(),
                String.valueOf(endPosition / SAMPLES_PER_MS));
        if (recording == null) {
            finished.complete(null);
            return;
        }
        pendingSummary = new CallSummary(Instant.now(), endPosition, reason.label(),
                turns.snapshot(endPosition / SAMPLES_PER_MS));
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

    private long positionNow() {
        return answered ? Math.max(0, (scheduler.nanoTime() - answerNanos) * SAMPLES_PER_MS / 1_000_000L) : 0;
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
