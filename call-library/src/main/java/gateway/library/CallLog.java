package gateway.library;

import java.util.List;

/**
 * What happened in a call besides its audio, for call.json: the turns, the holds, the Realtime sessions, the
 * recording pauses, the codec last negotiated ({@code null}: as the metadata said; a late offer learns it only
 * from the ACK), the quality of its media ({@code null}: not measured, as in files written before it was), the
 * DTMF keys pressed, both ways, in time order, the tools the model called, the tokens the Realtime sessions used
 * ({@code null} in a call.json written before the gateway counted them), what supervisors did to the call
 * through the active calls API, the call's last transfer by REFER ({@code null}: none), its early media
 * ({@code null}: none, answered with a 200 straight away) and where the turns' texts were masked
 * ({@link Redaction}; empty in a call.json written before transcripts were redacted).
 */
public record CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                      List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys,
                      List<ToolCall> tools, CallUsage usage, List<CallAction> actions, CallTransfer transfer,
                      EarlyMedia earlyMedia, List<Redaction> redactions) {

    public CallLog {
        turns = turns == null ? List.of() : List.copyOf(turns);
        holds = holds == null ? List.of() : List.copyOf(holds);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
        pauses = pauses == null ? List.of() : List.copyOf(pauses);
        keys = keys == null ? List.of() : List.copyOf(keys);
        tools = tools == null ? List.of() : List.copyOf(tools);
        actions = actions == null ? List.of() : List.copyOf(actions);
        redactions = redactions == null ? List.of() : List.copyOf(redactions);
    }

    /** A log without redactions. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys,
                   List<ToolCall> tools, CallUsage usage, List<CallAction> actions, CallTransfer transfer,
                   EarlyMedia earlyMedia) {
        this(turns, holds, sessions, pauses, codec, quality, keys, tools, usage, actions, transfer, earlyMedia,
                List.of());
    }

    /** A log without early media. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys,
                   List<ToolCall> tools, CallUsage usage, List<CallAction> actions, CallTransfer transfer) {
        this(turns, holds, sessions, pauses, codec, quality, keys, tools, usage, actions, transfer, null);
    }

    /** A log without a transfer. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys,
                   List<ToolCall> tools, CallUsage usage, List<CallAction> actions) {
        this(turns, holds, sessions, pauses, codec, quality, keys, tools, usage, actions, null);
    }

    /** A log without supervisors' actions (a call.json from before the active calls API) or a transfer. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys,
                   List<ToolCall> tools, CallUsage usage) {
        this(turns, holds, sessions, pauses, codec, quality, keys, tools, usage, List.of(), null);
    }

    /** A log without tool calls or usage (a call.json from before they were kept). */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality, List<KeyPress> keys) {
        this(turns, holds, sessions, pauses, codec, quality, keys, List.of(), null);
    }

    /** A log without key presses. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec, CallQuality quality) {
        this(turns, holds, sessions, pauses, codec, quality, List.of());
    }

    /** A log without a quality block. */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec) {
        this(turns, holds, sessions, pauses, codec, null);
    }

    /** A log of turns only. */
    public static CallLog of(List<Turn> turns) {
        return new CallLog(turns, List.of(), List.of(), List.of(), null);
    }

    public static final CallLog EMPTY = of(List.of());
}
