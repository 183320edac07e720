package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.Role;
import gateway.realtime.ClientEvent;
import gateway.time.CallTimeline;
import gateway.time.Clock;
import gateway.time.Throttle;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The spoken exchange between the caller and the live Realtime session: the caller's turns as the service times
 * them, the assistant's audio queued for playout, barge-in (docs/realtime-protocol.md §5.2), and what is cut off
 * when the caller puts the call on hold. It also tells whether the call is at a turn boundary, where a session can
 * be swapped without anyone noticing. Its server events come one by one, typed, from {@link ServerEventRouter}.
 *
 * <p>Call's loop only. {@link #nextFrame} runs every 20 ms and allocates nothing.
 */
final class Conversation {

    private static final System.Logger LOG = System.getLogger(Conversation.class.getName());
    /** Cancelled responses remembered to drop their late deltas; responses are sequential, a few suffice. */
    private static final int CANCELLED_RESPONSES_KEPT = 16;
    /** After speech_stopped the service creates the reply this soon (server VAD); no session swap meanwhile. */
    static final long REPLY_EXPECTED_NANOS = 5_000_000_000L;
    /** At most one logged Realtime error per call in this interval; the rest are counted. */
    private static final long ERROR_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String callId;
    private final TurnLog turns;
    private final AssistantPlayout playout;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Runnable turnDone;
    private final Throttle errorLog;
    private final ArrayDeque<String> cancelledResponses = new ArrayDeque<>();
    private String activeResponseId;
    private String lastDeltaResponseId;
    private String awaitingFirstPlay;
    private long firstDeltaNanos;
    private String callerSpeakingItem;
    private long replyExpectedSince = -1;
    private short[] announcement;
    private int announcementPlayed;
    /** The last frame was the announcement's. */
    private boolean announced;

    Conversation(String callId, TurnLog turns, GatewayMetrics metrics, Clock clock, Runnable turnDone) {
        this.callId = callId;
        this.turns = turns;
        this.playout = new AssistantPlayout(turns);
        this.metrics = metrics;
        this.clock = clock;
        this.turnDone = turnDone;
        this.errorLog = new Throttle(clock, ERROR_LOG_INTERVAL_NANOS);
    }

    /** {@code speech_started} on the live session: a caller turn starts, and it barges in on the agent. */
    void speechStarted(RealtimeLeg leg, String itemId, long audioStartMs) {
        turns.callerSpeechStarted(itemId, leg.input().recordingMs(audioStartMs));
        callerSpeakingItem = itemId;
        bargeIn(leg);
    }

    /** {@code speech_stopped} on the live session: the caller turn ends, and a reply is expected. */
    void speechStopped(RealtimeLeg leg, String itemId, long audioEndMs) {
        turns.callerSpeechStopped(itemId, leg.input().recordingMs(audioEndMs));
        callerSpeakingItem = null;
        replyExpectedSince = clock.nanoTime();
    }

    /** The transcript of what the caller said in {@code itemId}, from whichever session heard it. */
    void callerTranscript(String itemId, String transcript) {
        turns.transcript(itemId, Role.CALLER, transcript);
    }

    /** {@code response.created} on the live session: the reply it makes is the active one. */
    void responseCreated(RealtimeLeg leg, String responseId) {
        activeResponseId = responseId;
        leg.responseCreated(responseId);
        replyExpectedSince = -1;
    }

    /** The next piece of what the assistant says in {@code itemId}. */
    void assistantTranscriptDelta(String itemId, String delta) {
        turns.assistantTranscriptDelta(itemId, delta);
    }

    /** The whole text of what the assistant said in {@code itemId}, from whichever session made it. */
    void assistantTranscript(String itemId, String transcript) {
        turns.transcript(itemId, Role.ASSISTANT, transcript);
    }

    /** {@code response.done}: the reply is over (cut off unless {@code status} is completed); the turn is saved. */
    void responseDone(String responseId, String status) {
        if (Objects.equals(responseId, activeResponseId)) {
            activeResponseId = null;
        }
        turns.responseDone(responseId, status);
        turnDone.run();
    }

    /** An {@code error} of the live session: logged, at most one line per interval. */
    void serviceError(String errorType, String code, String message) {
        long held = errorLog.tryReport();
        if (held >= 0) {
            LOG.log(Level.WARNING, "call {0}: Realtime error {1}/{2}: {3}{4}", callId, errorType, code, message,
                    held > 0 ? " (" + held + " more since the last one)" : "");
        }
    }

    /** Queues agent audio; returns true when it is the first audio of its response (its talkspurt may start). */
    boolean onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length) {
        return onAudioDelta(responseId, itemId, pcm, offset, length, null, 0);
    }

    /**
     * As {@link #onAudioDelta(String, String, short[], int, int)} for audio the model sent in G.711: {@code pcm} is
     * its 24 kHz decoding, {@code codes} from {@code codeOffset} the codes themselves (one per 3 samples).
     */
    boolean onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length, byte[] codes,
                         int codeOffset) {
        if (responseId != null && cancelledResponses.contains(responseId)) {
            return false;
        }
        boolean first = !Objects.equals(responseId, lastDeltaResponseId);
        if (first) {
            lastDeltaResponseId = responseId;
            awaitingFirstPlay = responseId;
            firstDeltaNanos = clock.nanoTime();
        }
        playout.enqueue(String.valueOf(responseId), String.valueOf(itemId), pcm, offset, length, codes, codeOffset);
        return first;
    }

    /** Agent audio that arrived while the call is held: its response is cancelled, nothing of it is played. */
    void refuseWhileHeld(RealtimeLeg leg, String responseId) {
        if (responseId != null && !cancelledResponses.contains(responseId)) {
            remember(responseId);
            leg.send(new ClientEvent.ResponseCancel(responseId));
        }
    }

    /**
     * Plays {@code samples} before anything the agent says (the recording-consent announcement): it is not cut by
     * barge-in, and the agent's audio queues behind it.
     */
    void announceFirst(short[] samples) {
        announcement = samples;
        announcementPlayed = 0;
        turns.transcript(ConsentPrompt.ITEM_ID, Role.ASSISTANT, ConsentPrompt.TURN_TEXT);
    }

    /** Fills the next 20 ms frame: the announcement, else the playout queue; false (untouched) when neither. */
    boolean nextFrame(short[] pcm, int length, long position, long nowNanos) {
        announced = announcement != null;
        if (announcement != null) {
            int n = Math.min(length, announcement.length - announcementPlayed);
            System.arraycopy(announcement, announcementPlayed, pcm, 0, n);
            turns.played(ConsentPrompt.ITEM_ID, ConsentPrompt.ITEM_ID, position, n);
            announcementPlayed += n;
            if (announcementPlayed == announcement.length) {
                announcement = null;
            }
            return true;
        }
        if (!playout.nextFrame(pcm, length, position)) {
            return false;
        }
        if (awaitingFirstPlay != null && awaitingFirstPlay.equals(playout.currentResponseId())) {
            metrics.firstAudioDelay(nowNanos - firstDeltaNanos);
            awaitingFirstPlay = null;
        }
        return true;
    }

    /**
     * The model's own G.711 codes of the frame {@link #nextFrame} filled last, into {@code out[0, units)}; false
     * when it had none (the announcement, or audio the model sent as PCM).
     */
    boolean frameCodes(byte[] out, int units) {
        return !announced && playout.frameCodes(out, units);
    }

    /**
     * The caller started talking: stop playout at once, drop what is queued, tell the session how much of its item
     * was heard ({@code conversation.item.truncate}, only to the session that made the item), ignore the rest of
     * that response.
     */
    private void bargeIn(RealtimeLeg leg) {
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
            if (leg != null && leg.created(response)) {
                leg.send(new ClientEvent.ItemTruncate(item, 0, CallTimeline.samplesToMs(played)));
            }
            turns.interrupted(item);
            remember(response);
            playout.clear();
        }
        if (activeResponseId != null) {
            remember(activeResponseId);
        }
    }

    /**
     * The caller pressed {@code digit}: the live session is told as a user message, and asked for a reply when none
     * is under way or expected (the caller is not speaking), so a menu choice is answered like a spoken one. Each key
     * is its own item; keys pressed while a reply is being made reach the model with the next one.
     */
    void keyPressed(RealtimeLeg live, char digit) {
        if (live == null) {
            return;
        }
        live.send(new ClientEvent.ConversationItemCreate(new ClientEvent.ConversationItem.UserText(keyText(digit))));
        boolean replyPending = replyExpectedSince >= 0 && clock.nanoTime() - replyExpectedSince < REPLY_EXPECTED_NANOS;
        if (activeResponseId == null && callerSpeakingItem == null && !replyPending) {
            live.send(new ClientEvent.ResponseCreate());
            replyExpectedSince = clock.nanoTime();
        }
    }

    /** What the model is told of a key press. */
    static String keyText(char digit) {
        return "The caller pressed " + digit + " on the phone's keypad.";
    }

    /**
     * The caller put the call on hold at {@code atMs}: the assistant stops as at a barge-in and its reply is
     * cancelled, a sentence the caller was saying is cut off there (and the session's input buffer cleared).
     * {@code live} is the live session, or null during a reconnect.
     */
    void hold(RealtimeLeg live, long atMs) {
        cutAgentShort(live);
        if (callerSpeakingItem != null) {
            turns.callerCutOff(callerSpeakingItem, atMs);
            if (live != null) {
                live.send(new ClientEvent.InputAudioClear());
                live.inputCleared();
            }
            callerSpeakingItem = null;
        }
        replyExpectedSince = -1;
    }

    /**
     * The agent stops now, as at a barge-in, and its reply under way is cancelled ({@code response.cancel}, to the
     * session that made it): the call is put on hold, or a drain's goodbye replaces the reply.
     */
    void cutAgentShort(RealtimeLeg live) {
        String active = activeResponseId;
        bargeIn(live);
        if (active != null && live != null && live.created(active)) {
            live.send(new ClientEvent.ResponseCancel(active));
        }
    }

    /**
     * Another session took over. What the old one had in progress (its active reply, a sentence it heard starting,
     * a reply it was about to create) is gone with it; what it already sent keeps playing. A sentence it heard
     * starting whose audio the new one was given again from before its start ({@code resentFromMs}, -1: none) is
     * heard by the new one whole, as its own turn: the old one's unfinished turn is dropped from the log.
     */
    void sessionReplaced(long resentFromMs) {
        if (activeResponseId != null) {
            remember(activeResponseId);
            activeResponseId = null;
        }
        if (callerSpeakingItem != null && resentFromMs >= 0) {
            turns.forgetUnfinished(callerSpeakingItem, resentFromMs);
        }
        callerSpeakingItem = null;
        replyExpectedSince = -1;
    }

    /** True when no agent audio and no announcement wait to be played. */
    boolean playoutIdle() {
        return playout.queuedItemId() == null && announcement == null;
    }

    /** True when nobody is speaking, nothing is queued and no reply is pending: a session may be swapped now. */
    boolean atTurnBoundary() {
        boolean replyPending = replyExpectedSince >= 0 && clock.nanoTime() - replyExpectedSince < REPLY_EXPECTED_NANOS;
        return callerSpeakingItem == null && activeResponseId == null && !replyPending
                && playout.queuedItemId() == null && announcement == null;
    }

    /** The call ended: what was still queued is marked cut off and dropped; agent audio that did not fit is told. */
    void end() {
        String cutOff = playout.queuedItemId();
        if (cutOff != null) {
            turns.interrupted(cutOff);
            playout.clear();
        }
        long overflow = playout.overflowSamples();
        if (overflow > 0) {
            LOG.log(Level.WARNING, "call {0}: {1} ms of agent audio dropped, the playout queue was full", callId,
                    String.valueOf(CallTimeline.samplesToMs(overflow)));
            metrics.playoutOverflow(overflow);
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
}
