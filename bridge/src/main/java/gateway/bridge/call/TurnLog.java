package gateway.bridge.call;

import gateway.library.Role;
import gateway.library.Turn;
import gateway.time.CallTimeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call's turns, keyed by Realtime item id, in recording time (ms from sample 0 = answer). Caller turns come from
 * speech_started/stopped, already mapped from the session's input clock; assistant turns span the first to the last
 * sample actually played. Transcripts are filled in whenever they arrive, from whichever session. Single-threaded:
 * the call's loop.
 */
final class TurnLog implements PlayoutObserver {

    private final Map<String, MutableTurn> turns = new LinkedHashMap<>();
    private final Map<String, String> responseOfItem = new LinkedHashMap<>();

    void callerSpeechStarted(String itemId, long recordingMs) {
        turn(itemId, Role.CALLER).startMs = recordingMs;
    }

    void callerSpeechStopped(String itemId, long recordingMs) {
        MutableTurn t = turn(itemId, Role.CALLER);
        if (t.endMs < 0) {
            t.endMs = recordingMs;
        }
    }

    /** Ends an open caller turn at {@code recordingMs} (the call went on hold mid-sentence). */
    void callerCutOff(String itemId, long recordingMs) {
        MutableTurn t = turns.get(itemId);
        if (t != null && t.role == Role.CALLER && t.endMs < 0) {
            t.endMs = recordingMs;
            t.interrupted = true;
        }
    }

    /**
     * Drops the caller turn {@code itemId} if it never ended, has no text and started at or after {@code fromMs}: its
     * audio from there was given to another session, which makes it a turn of its own.
     */
    void forgetUnfinished(String itemId, long fromMs) {
        MutableTurn t = turns.get(itemId);
        if (t != null && t.role == Role.CALLER && t.endMs < 0 && t.text == null && t.startMs >= fromMs) {
            turns.remove(itemId);
        }
    }

    void transcript(String itemId, Role role, String text) {
        MutableTurn t = turn(itemId, role);
        t.text = text;
        t.textFinal = true;
    }

    /** A piece of what the assistant is saying; kept until the full transcript replaces it. */
    void assistantTranscriptDelta(String itemId, String delta) {
        MutableTurn t = turn(itemId, Role.ASSISTANT);
        if (!t.textFinal) {
            t.partial.append(delta);
        }
    }

    @Override
    public void played(String responseId, String itemId, long position, int samples) {
        MutableTurn t = turn(itemId, Role.ASSISTANT);
        responseOfItem.put(itemId, responseId);
        long start = CallTimeline.samplesToMs(position);
        long end = CallTimeline.samplesToMs(position + samples);
        if (t.startMs < 0) {
            t.startMs = start;
        }
        t.endMs = Math.max(t.endMs, end);
    }

    /** The assistant item was cut off (barge-in, hold, the call's end). */
    void interrupted(String itemId) {
        MutableTurn t = turns.get(itemId);
        if (t != null && t.role == Role.ASSISTANT) {
            t.interrupted = true;
        }
    }

    /** response.done: a cancelled or incomplete response marks its played items interrupted. */
    void responseDone(String responseId, String status) {
        if ("completed".equals(status)) {
            return;
        }
        responseOfItem.forEach((item, response) -> {
            if (response.equals(responseId)) {
                interrupted(item);
            }
        });
    }

    /**
     * The turns so far, by start time; open caller turns end at {@code nowMs}; unplayed assistant items are left out.
     */
    List<Turn> snapshot(long nowMs) {
        List<Turn> out = new ArrayList<>(turns.size());
        for (Map.Entry<String, MutableTurn> e : turns.entrySet()) {
            MutableTurn t = e.getValue();
            if (t.startMs < 0) {
                continue;
            }
            long end = t.endMs < 0 ? nowMs : t.endMs;
            out.add(new Turn(t.role, t.startMs, Math.max(t.startMs, end), t.text(), e.getKey(), t.interrupted));
        }
        out.sort(Comparator.comparingLong(Turn::startMs));
        return out;
    }

    /** True while the text of {@code itemId} is the assistant's pieces so far, not a whole transcript. */
    boolean textGrowing(String itemId) {
        MutableTurn t = turns.get(itemId);
        return t != null && !t.textFinal && !t.partial.isEmpty();
    }

    /** The turn of {@code itemId}, made on first mention; allocates nothing when it exists (it runs per frame). */
    private MutableTurn turn(String itemId, Role role) {
        MutableTurn t = turns.get(itemId);
        if (t == null) {
            t = new MutableTurn(role);
            turns.put(itemId, t);
        }
        return t;
    }

    private static final class MutableTurn {
        final Role role;
        final StringBuilder partial = new StringBuilder();
        long startMs = -1;
        long endMs = -1;
        String text;
        boolean textFinal;
        boolean interrupted;

        MutableTurn(Role role) {
            this.role = role;
        }

        String text() {
            return text != null ? text : partial.toString();
        }
    }
}
