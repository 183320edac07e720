package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallAction;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallQuality;
import gateway.library.CallTransfer;
import gateway.library.CallUsage;
import gateway.library.EarlyMedia;
import gateway.library.HoldPeriod;
import gateway.library.KeyPress;
import gateway.library.RecordingPause;
import gateway.library.Redaction;
import gateway.library.Role;
import gateway.library.SessionPeriod;
import gateway.library.ToolCall;
import gateway.library.TranscriptRedactor;
import gateway.library.Turn;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecordingService;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The bridge's side of a call's recording: the tap ({@link CallRecording}) from the answer on, the pauses and the
 * holds in recording time, the call log built from them and the turns (a turn said while paused loses its text; card
 * numbers and configured patterns are masked ({@link MaskedTurns}) whenever a log is built, in the turns, the tool
 * calls' arguments and outputs and the supervisors' texts, so nothing written, checkpoint or final, holds them), its
 * checkpoints, and the last write at the end. Call's loop only; {@link #caller} and {@link #assistant} run per
 * packet and allocate nothing.
 *
 * <p>A pause silences recording <em>positions</em>, not arrival times. Caller audio sits at its RTP timestamp, which
 * may run a little ahead of the clock (the stream was anchored by a late first packet) or behind it (packets queued
 * on a busy loop). So a pause starts, and ends, at the later of the clock and the end of the caller audio seen so
 * far, and every write is clipped against the paused stretches: what was written before the pause stays whole, and
 * nothing that arrives later lands inside a pause.
 */
final class RecordingLeg {

    private static final Logger LOG = System.getLogger(RecordingLeg.class.getName());
    /** The text of a turn said while recording was paused. */
    static final String NOT_RECORDED = "[not recorded: recording paused]";
    /** Key presses kept per call: an IVR session is a few dozen; a caller flooding events cannot grow the log. */
    static final int MAX_KEYS = 1_000;

    private final String callId;
    private final TurnLog turns;
    private final GatewayMetrics metrics;
    private final Supplier<List<SessionPeriod>> sessions;
    private final Supplier<String> codec;
    private final Supplier<CallQuality> quality;
    private final Supplier<List<ToolCall>> tools;
    private final Supplier<CallUsage> usage;
    private final ListenTap listeners;
    private final TranscriptRedactor redactor;
    private final MaskedTurns masked;
    private final SpanLog holds = new SpanLog();
    private final SpanLog pauses = new SpanLog();
    private final PausedStretches paused = new PausedStretches();
    private final List<KeyPress> keys = new ArrayList<>();
    private final List<CallAction> actions = new ArrayList<>();
    /** The call's last transfer by REFER, or null. */
    private CallTransfer transfer;
    /** The early media before the answer, or null when the call had none. */
    private EarlyMedia earlyMedia;
    /** End (exclusive) of the caller audio offered so far, recorded or clipped, in samples. */
    private long callerEnd;
    private CallRecording recording;
    private CallSummary summary;

    /**
     * @param sessions when each Realtime session was live, asked whenever a log is built
     * @param codec    the codec negotiated last (null before any), asked whenever a log is built
     * @param quality  the media's quality so far (null before media), asked whenever a log is built
     * @param tools    the tool calls so far, asked whenever a log is built
     * @param usage    the tokens used so far, asked whenever a log is built
     * @param listeners the live listeners, who hear what is recorded
     * @param redactor  what is masked in the turns' texts
     */
    RecordingLeg(String callId, TurnLog turns, GatewayMetrics metrics, Supplier<List<SessionPeriod>> sessions,
                 Supplier<String> codec, Supplier<CallQuality> quality, Supplier<List<ToolCall>> tools,
                 Supplier<CallUsage> usage, ListenTap listeners, TranscriptRedactor redactor) {
        this.callId = callId;
        this.turns = turns;
        this.metrics = metrics;
        this.sessions = sessions;
        this.codec = codec;
        this.quality = quality;
        this.tools = tools;
        this.usage = usage;
        this.listeners = listeners;
        this.redactor = redactor;
        this.masked = new MaskedTurns(redactor);
    }

    /** Starts recording at the answer; throws when the call's recording cannot be created. */
    void start(RecordingService service, CallMetadata metadata) throws IOException {
        recording = service.start(metadata);
    }

    /**
     * Caller audio at recording {@code position}; what falls in a paused stretch is left out. The media leg delivers
     * the caller's audio in position order ({@link gateway.rtp.MediaListener#onCallerAudio}), so the caller channel is
     * settled up to its end.
     */
    void caller(long position, short[] pcm, int offset, int length) {
        callerEnd = Math.max(callerEnd, position + length);
        writeOutsidePauses(Role.CALLER, position, pcm, offset, length);
        if (recording != null) {
            recording.settleCaller(callerEnd);
        }
    }

    /**
     * A playout tick at {@code position}, whether or not it plays agent audio: every later tick, an early talkspurt's
     * included, starts after it, so the assistant channel is settled up to its start (not its end: a talkspurt
     * started early overlaps the silent tick before it).
     */
    void playoutTick(long position) {
        if (recording != null) {
            recording.settleAssistant(position);
        }
    }

    /** Agent audio played at recording {@code position} (a tick: now); what falls in a paused stretch is left out. */
    void assistant(long position, short[] pcm, int length) {
        writeOutsidePauses(Role.ASSISTANT, position, pcm, 0, length);
    }

    /** Writes the parts of {@code [position, position + length)} that no paused stretch covers. */
    private void writeOutsidePauses(Role role, long position, short[] pcm, int offset, int length) {
        if (recording == null) {
            return;
        }
        long from = position;
        long end = position + length;
        for (int i = 0; i < paused.count() && from < end; i++) {
            long pauseStart = paused.start(i);
            if (pauseStart >= end) {
                break;
            }
            long pauseEnd = paused.end(i);
            if (pauseEnd > from) {
                if (pauseStart > from) {
                    write(role, from, pcm, offset + (int) (from - position), (int) (pauseStart - from));
                }
                from = pauseEnd;
            }
        }
        if (from < end) {
            write(role, from, pcm, offset + (int) (from - position), (int) (end - from));
        }
    }

    private void write(Role role, long position, short[] pcm, int offset, int length) {
        if (role == Role.CALLER) {
            recording.caller(position, pcm, offset, length);
            listeners.audio(ListenQueue.CALLER, position, pcm, offset, length);
        } else {
            recording.assistant(position, pcm, offset, length);
            listeners.audio(ListenQueue.ASSISTANT, position, pcm, offset, length);
        }
    }

    /** True while the recording is paused. */
    boolean paused() {
        return pauses.open();
    }

    /**
     * Pauses ({@code paused} true) or resumes when the clock is at {@code nowMs}; false when it already was so. The
     * edge falls at the later of the clock and the caller audio seen so far (see the class comment).
     */
    boolean pause(boolean paused, long nowMs, String by) {
        if (paused == pauses.open()) {
            return false;
        }
        long edge = Math.max(CallTimeline.msToSamples(nowMs), callerEnd);
        long atMs = CallTimeline.samplesToMsRoundedUp(edge);
        if (paused) {
            this.paused.open(CallTimeline.msToSamples(atMs));
            pauses.start(atMs, by);
        } else {
            this.paused.close(CallTimeline.msToSamples(atMs));
            pauses.end(atMs);
        }
        LOG.log(Level.INFO, "call {0}: recording {1} at {2} ms by {3}", callId, paused ? "paused" : "resumed",
                String.valueOf(atMs), by);
        return true;
    }

    /**
     * A key pressed either way. Kept for call.json unless the recording is paused (a key pressed then may be part of
     * a card number, so not even that it was pressed is kept) or {@link #MAX_KEYS} are kept already.
     */
    void keyPressed(KeyPress key) {
        if (!paused() && keys.size() < MAX_KEYS) {
            keys.add(key);
        }
    }

    /** A supervisor acted on the call through the active calls API. */
    void action(CallAction action) {
        actions.add(action);
    }

    /** A transfer by REFER ended with {@code transfer}'s status: call.json keeps the last one. */
    void transferred(CallTransfer transfer) {
        this.transfer = transfer;
    }

    /** The recording started with the 183 of early media (RFC 3960): the timeline's 0 is not the answer. */
    void earlyMediaStarted() {
        earlyMedia = new EarlyMedia(0, EarlyMedia.NOT_ANSWERED);
    }

    /** The 200 OK went out at {@code atMs}: after early media, call.json says when. */
    void answered(long atMs) {
        if (earlyMedia != null) {
            earlyMedia = new EarlyMedia(earlyMedia.startMs(), atMs);
        }
    }

    /** The caller put the call on hold at {@code atMs}. */
    void holdStarted(long atMs) {
        holds.start(atMs, "caller");
    }

    /** The caller resumed the call at {@code atMs}. */
    void holdEnded(long atMs) {
        holds.end(atMs);
    }

    /**
     * The turns so far as call.json gives them: by start time, those said while paused without their text, the
     * others masked; the masks are added to {@code redactions}.
     */
    private List<Turn> turns(long nowMs, List<RecordingPause> paused, List<Redaction> redactions) {
        return masked.mask(redacted(turns.snapshot(nowMs), paused), t -> turns.textGrowing(t.itemId()), redactions);
    }

    /** The turns so far as call.json gives them: by start time, those said while paused without their text. */
    List<Turn> turns(long nowMs) {
        return turns(nowMs, pauses(nowMs), new ArrayList<>());
    }

    /** What live listeners are told a transcript said: masked as the stored one is, withheld while paused. */
    String liveTranscript(String text) {
        return paused() ? NOT_RECORDED : redactor.redact(text, true).text();
    }

    /** Everything call.json says about the call so far; spans still open end at {@code nowMs}. */
    CallLog log(long nowMs) {
        List<RecordingPause> paused = pauses(nowMs);
        List<HoldPeriod> held = holds.spans(nowMs).stream().map(h -> new HoldPeriod(h.startMs(), h.endMs())).toList();
        List<Redaction> redactions = new ArrayList<>();
        List<Turn> said = turns(nowMs, paused, redactions);
        List<ToolCall> toolCalls = redactor.tools(redactedTools(tools.get(), paused), redactions);
        List<CallAction> supervised = redactor.actions(redactedActions(actions, paused), redactions);
        return new CallLog(said, held, sessions.get(), paused, codec.get(), quality.get(), keys, toolCalls,
                usage.get(), supervised, transfer, earlyMedia, redactions);
    }

    /** Saves the log so far, so a crash keeps it (a turn finished). */
    void checkpoint(long nowMs) {
        if (recording != null) {
            recording.checkpoint(log(nowMs));
        }
    }

    /** The 200 OK never went out: nothing of the call is kept. */
    void discard() {
        if (recording != null) {
            recording.discard();
            recording = null;
            summary = null;
        }
    }

    /** The call ended at {@code endSample}: fixes what call.json will say (the sessions are closed by now). */
    void end(Instant endedAt, long endSample, String reason) {
        if (recording != null) {
            summary = new CallSummary(endedAt, endSample, reason, log(CallTimeline.samplesToMs(endSample)));
        }
    }

    /**
     * Writes the recording ended by {@link #end}; completes (never exceptionally) once it is on disk or its failure
     * is logged and counted, and at once when there is no recording.
     */
    CompletableFuture<Void> finish() {
        if (recording == null || summary == null) {
            return CompletableFuture.completedFuture(null);
        }
        return recording.finish(summary).handle((dir, error) -> {
            metrics.recordingFinished(error == null);
            if (error != null) {
                LOG.log(Level.ERROR, "call {0}: recording not finished: {1}", callId, error.toString());
            }
            return null;
        });
    }

    private List<RecordingPause> pauses(long nowMs) {
        return pauses.spans(nowMs).stream().map(p -> new RecordingPause(p.startMs(), p.endMs(), p.label())).toList();
    }

    /** Tool calls made while recording was paused keep their times but lose their arguments and output. */
    static List<ToolCall> redactedTools(List<ToolCall> calls, List<RecordingPause> paused) {
        if (paused.isEmpty()) {
            return calls;
        }
        return calls.stream().map(c -> paused.stream().anyMatch(p -> p.overlaps(c.startMs(), c.endMs()))
                ? c.redacted(NOT_RECORDED) : c).toList();
    }

    /** What a supervisor had said, or set as instructions, while recording was paused loses its text. */
    static List<CallAction> redactedActions(List<CallAction> actions, List<RecordingPause> paused) {
        if (paused.isEmpty()) {
            return actions;
        }
        return actions.stream().map(a -> paused.stream().anyMatch(p -> p.overlaps(a.atMs(), a.atMs()))
                ? a.redacted(NOT_RECORDED) : a).toList();
    }

    /** Turns said while recording was paused keep their times but lose their text (it may be a card number). */
    static List<Turn> redacted(List<Turn> turns, List<RecordingPause> paused) {
        if (paused.isEmpty()) {
            return turns;
        }
        return turns.stream().map(t -> paused.stream().anyMatch(p -> p.overlaps(t.startMs(), t.endMs()))
                ? new Turn(t.role(), t.startMs(), t.endMs(), NOT_RECORDED, t.itemId(), t.interrupted()) : t).toList();
    }
}
