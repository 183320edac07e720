package gateway.bridge.call;

import gateway.recorder.Role;
import gateway.recorder.Turn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call's turns, keyed by Realtime item id, in recording time (ms from sample 0 = answer).
 * Caller turns come from speech_started/stopped, mapped from input-buffer time; assistant turns span the first to the
 * last sample actually played. Transcripts are filled in whenever they arrive. Single-threaded: the call's loop.
 */
final class TurnLog implements PlayoutObserver {

    private static final int SAMPLES_PER_MS = 24;

    private final Map<String, MutableTurn> turns = new LinkedHashMap<>();
    private final Map<String, String> responseOfItem = new LinkedHashMap<>();
    private long inputOriginSamples = -1;

    /** Recording position of the first sample appended to the Realtime input buffer; set once per session. */
    void inputOrigin(long recordingPosition) {
        if (inputOriginSamples < 0) {
            inputOriginSamples = recordingPosition;
        }
    }

    /** Maps input-buffer milliseconds (Realtime audio_start_ms / audio_end_ms) to recording milliseconds. */
    long inputMsToRecordingMs(long audioMs) {
        return Math.max(0, inputOriginSamples) / SAMPLES_PER_MS + audioMs;
    }

    void callerSpeechStarted(String itemId, long audioStartMs) {
        MutableTurn t = turn(itemId, Role.CALLER);
        t.startMs = inputMsToRecordingMs(audioStartMs);
    }

    void callerSpeechStopped(String itemId, long audioEndMs) {
        MutableTurn t = turn(itemId, Role.CALLER);
        t.endMs = inputMsToRecordingMs(audioEndMs);
    }

    void transcript(String itemId, Role role, String text) {
        turn(itemId, role).text = text;
    }

    @Override
    public void played(String responseId, String itemId, long position, int samples) {
        MutableTurn t = turn(itemId, Role.ASSISTANT);
        responseOfItem.put(itemId, responseId);
        long start = position / SAMPLES_PER_MS;
        long end = (position + samples) / SAMPLES_PER_MS;
        if (t.startMs < 0) {
            t.startMs = start;
        }
        t.endMs = Math.max(t.endMs, end);
    }

    /** The assistant item was cut off by the caller. */
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

    /** The turns so far, by start time; open caller turns end at {@code nowMs}; unplayed assistant items are left out. */
    List<Turn> snapshot(long nowMs) {
        List<Turn> out = new ArrayList<>(turns.size());
        for (Map.Entry<String, MutableTurn> e : turns.entrySet()) {
            MutableTurn t = e.getValue();
            if (t.startMs < 0) {
                continue;
            }
            long end = t.endMs < 0 ? nowMs : t.endMs;
            out.add(new Turn(t.role, t.startMs, Math.max(t.startMs, end), t.text == null ? "" : t.text,
                    e.getKey(), t.interrupted));
        }
        out.sort(Comparator.comparingLong(Turn::startMs));
        return out;
    }

    private MutableTurn turn(String itemId, Role role) {
        return turns.computeIfAbsent(itemId, id -> new MutableTurn(role));
    }

    private static final class MutableTurn {
        final Role role;
        long startMs = -1;
        long endMs = -1;
        String text;
        boolean interrupted;

        MutableTurn(Role role) {
            this.role = role;
        }
    }
}
